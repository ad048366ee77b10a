/**
 * The registrar's readings of a prefect.yaml against the real thing, run with Python on this
 * machine: Prefect 3.6.28's vendored croniter plus its R/H rule (from the git mirror when it is
 * there), pydantic 2's timedelta, PyYAML's safe_load, zoneinfo's zone names and dateutil's
 * rrulestr (the libraries Prefect uses; installed with moto). A difference is a bug in our port
 * unless the table marks it as a documented deviation.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cronProblem } from '../../lambdas/registrar/manifest/cron';
import type { Json } from '../../lambdas/registrar/manifest/placeholders';
import { applyValues, resolvePrefectValues } from '../../lambdas/registrar/registration/templating';
import { loadYaml, rruleProblem } from '../../lambdas/registrar/manifest/fromYaml';
import { intervalSeconds } from '../../lambdas/registrar/manifest/interval';
import { ZONE_NAMES } from '../../lambdas/registrar/manifest/zoneNames';

const MIRROR = '/work/.mirror/PrefectHQ+prefect/repo';
const TAG = '3.6.28';
let dir: string;

function python(script: string, input: unknown): unknown {
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', cwd: dir, env: { ...process.env, PYTHONPATH: dir } });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

/** Prefect's vendored croniter, extracted from the mirror with an empty pytz (it only needs the import to succeed). */
function croniterSource(): boolean {
  const show = spawnSync('git', ['-C', MIRROR, 'show', `${TAG}:src/prefect/_vendor/croniter/croniter.py`], { encoding: 'utf8', maxBuffer: 10_000_000 });
  if (show.status !== 0) return false;
  fs.writeFileSync(path.join(dir, 'croniter.py'), show.stdout);
  fs.writeFileSync(path.join(dir, 'pytz.py'), 'utc = None\n');
  return true;
}

/**
 * Prefect's templating module as it is, importable: templating/__init__.py and get_from_dict
 * from the mirror, the few imports it has stubbed (a pass-through inject_client, a logger, the
 * NotSet sentinel).
 */
function templatingSource(): boolean {
  const show = (file: string) => spawnSync('git', ['-C', MIRROR, 'show', `${TAG}:src/prefect/${file}`], { encoding: 'utf8', maxBuffer: 10_000_000 });
  const templating = show('utilities/templating/__init__.py');
  const collections = show('utilities/collections.py');
  if (templating.status !== 0 || collections.status !== 0) return false;
  const getFromDict = collections.stdout.slice(collections.stdout.lastIndexOf('def get_from_dict('), collections.stdout.indexOf('def set_in_dict('));
  const files: Record<string, string> = {
    'prefect/__init__.py': '',
    'prefect/client/__init__.py': '',
    'prefect/client/utilities.py': 'def inject_client(fn):\n    return fn\n',
    'prefect/logging/__init__.py': '',
    'prefect/logging/loggers.py': 'import logging\ndef get_logger(name):\n    return logging.getLogger(name)\n',
    'prefect/utilities/__init__.py': '',
    'prefect/utilities/annotations.py': 'class NotSet:\n    pass\n',
    'prefect/utilities/collections.py': `from __future__ import annotations\nfrom typing import Optional, TypeVar, Union, cast\nVT = TypeVar("VT")\nR = TypeVar("R")\nNestedDict = dict\n\n${getFromDict}`,
    'prefect/utilities/templating/__init__.py': templating.stdout,
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return true;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-parity-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CRONS = [
  '0 2 * * *', '*/5 * * * *', '0 25 * * *', '0 2 * *', '0 2 * * * 30', '0 2 * * * 30 2030', '0 2 * * * * * *', '@daily', '@HOURLY', '@reboot',
  '0 2 * jan-mar mon-fri', '0 2 * * mon#2', '0 2 * * mon#6', '0 2 * * 1,mon#2', '0 2 L * *', '0 2 1-l * *', '0 2 ? * *', '0 ? * * *', '0 2 * * 7',
  '0 2 0 * *', '60 * * * *', '0-59/0 * * * *', '5/15 * * * *', '*/a * * * *', '0 2 * * sun-sat', '0 2 * dec-feb *', '0 2 31 2 *', '-1 * * * *',
  '0 0 * * 5-1', 'R * * * *', 'H * * * *', '0 0 1 0 *', '0 2 * * L5', 'foo', '', '0 2 * * MON', '0 2 * * 8', '0 0 1 * * 0 1969',
];

describe('parity with the Python code Prefect runs', () => {
  it('accepts and refuses the same crons as Prefect 3.6.28 (croniter.is_valid, then the R/H rule)', () => {
    if (!croniterSource()) {
      console.warn(`no Prefect mirror at ${MIRROR}: cron parity not checked`);
      return;
    }
    const script = `
import json, sys
from croniter import croniter
crons = json.load(sys.stdin)
def prefect_ok(v):
    if not croniter.is_valid(v): return False
    return not any(c for c in v.split() if c.casefold() in ["R", "H", "r", "h"])
print(json.dumps([prefect_ok(c) for c in crons]))`;
    const theirs = python(script, CRONS) as boolean[];
    const ours = CRONS.map((c) => cronProblem(c) === undefined);
    expect(CRONS.filter((_c, i) => ours[i] !== theirs[i])).toEqual([]);
  });

  it('reads intervals as pydantic 2 reads a timedelta', () => {
    const inputs = [3600, 1.5, 0, -5, 'PT1H', 'PT1H30M', 'P1D', 'P1DT2H', 'P1W', 'P1M', 'P1Y', 'PT0.5S', 'PT1.5H', '-PT1H', '+PT1H', '1:30:00', '01:30:00', '30:00',
      '01:00', '1:00', '25:00:00', '1:70:00', '1d', '2 days', '2d 01:00:00', '1 day, 01:00:00', '1d,01:02:03', 'weekly', '90', 'PT', 'P', 'p1d', ' PT1H', '00:00:05.123'];
    const script = `
import json, sys
from datetime import timedelta
from pydantic import TypeAdapter
ta = TypeAdapter(timedelta)
out = []
for v in json.load(sys.stdin):
    try: out.append(ta.validate_python(v).total_seconds())
    except Exception: out.append(None)
print(json.dumps(out))`;
    const theirs = python(script, inputs) as (number | null)[];
    const ours = inputs.map((v) => intervalSeconds(v) ?? null);
    expect(inputs.map((v, i) => [v, ours[i], theirs[i]]).filter(([, o, t]) => o !== t)).toEqual([]);
  });

  it('loads YAML as PyYAML safe_load does (YAML 1.1 booleans, numbers, merge keys, dates)', () => {
    const text = [
      'a: yes', 'b: on', 'c: y', 'd: 1:30:00', 'e: 0777', 'h: ~', 'i: 1_000', 'j: 0x1f', 'l: 1e3', 'l2: 1.5e+3', 'm: "quoted"', 'p: 1.5', 'q: 0o17', 's: NO', 't: 012',
      'base: &base {x: 1, y: 2}', 'n:', '  <<: *base', '  y: 3',
      // Dates only where Prefect takes any value (elsewhere loadYaml refuses them, as pydantic would).
      'definitions: {dates: [2024-01-01, 2024-01-01T10:00:00Z, 2024-01-01 10:00:00.5+02:00, 2024-1-2 3:04:05]}',
    ].join('\n');
    const script = `
import json, sys, yaml, datetime
from pydantic import TypeAdapter
from typing import Any
doc = yaml.safe_load(sys.stdin.read())
# Prefect dumps the model with mode="json" (_config.py:L165-L167): dates as pydantic writes them.
print(TypeAdapter(Any).dump_json(doc).decode())`;
    const run = spawnSync('python3', ['-c', script], { input: text, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(loadYaml(text, 'parity.yaml')).toEqual(JSON.parse(run.stdout));
  });

  it('knows exactly the zone names of Python\'s zoneinfo', () => {
    const theirs = python('import json, zoneinfo; print(json.dumps(sorted(zoneinfo.available_timezones())))', null) as string[];
    expect([...ZONE_NAMES].sort()).toEqual(theirs);
  });

  it('accepts and refuses the same rrules as dateutil (which Prefect validates with), but for the differences listed', () => {
    const rules = ['FREQ=DAILY', 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE', 'FREQ=MONTHLY;BYMONTHDAY=-1', 'DTSTART:20240101T090000\nRRULE:FREQ=DAILY;COUNT=5', 'FREQ=SOMETIMES', 'FREQ=DAILY;INTERVAL=x',
      'FREQ=YEARLY;BYMONTH=13', 'BYDAY=MO', 'FREQ=HOURLY;UNTIL=20250101T000000Z', 'nonsense', 'freq=daily', 'FREQ=WEEKLY;BYDAY=XX'];
    const script = `
import json, sys
from dateutil.rrule import rrulestr
out = []
for r in json.load(sys.stdin):
    try: rrulestr(r, cache=True); out.append(True)
    except Exception: out.append(False)
print(json.dumps(out))`;
    const theirs = python(script, rules) as boolean[];
    const ours = rules.map((r) => rruleProblem(r) === undefined);
    const differences = rules.filter((_r, i) => ours[i] !== theirs[i]);
    // npm rrule is a port of dateutil's; these are where it is laxer or stricter (README "Registrar").
    expect(differences).toEqual(KNOWN_RRULE_DIFFERENCES);
  });
});

const KNOWN_RRULE_DIFFERENCES: string[] = [];

describe('templating parity with Prefect 3.6.28 src/prefect/utilities/templating', () => {
  const values: Json = { build_image: { image: 'reg/repo@sha256:ab', tag: 'v1', n: 3, none: null, list: ['a', 'b'], nested: { k: true } }, image: 'reg/repo@sha256:ab', tag: 'v1' };
  const templates: Json[] = [
    '{{ build_image.image }}', '{{image}}', 'x-{{ build_image.tag }}-y', '{{ build_image.n }}', 'n={{ build_image.n }}', '{{ build_image.none }}', 'v={{ build_image.none }}',
    '{{ build_image.list[1] }}', '{{ build_image.list.0 }}', '{{ build_image.list[-1] }}', '{{ build_image.tag[0] }}', '{{ build_image.nested }}', 'is {{ build_image.nested.k }}',
    '{{ missing }}', 'a{{ missing }}b', '{{ $UNSET_FOR_PARITY }}', 'x{{ $UNSET_FOR_PARITY }}', '{{ ctx.flow_run.name }}', 'job-{{ ctx.flow.name }}/{{ tag }}',
    '{{ prefect.variables.v }}', '{{ a b }}', '{{ build_image.image }} and {{ tag }}', { k: '{{ missing }}', j: ['{{ tag }}', 'lit'] }, 7, true, null,
    ['{{ missing }}', 'kept in pull steps'],
  ];
  /** Ours keeps a list item whose placeholder has no value when unset values are kept (pull steps); Prefect drops it (its issue #15096). */
  const DEVIATIONS = [JSON.stringify([['{{ missing }}', 'kept in pull steps'], false])];

  it('applies step outputs as apply_values does (removing unset values, keeping them, skipping ctx.)', () => {
    if (!templatingSource()) return console.warn(`no Prefect mirror at ${MIRROR}: templating parity not checked`);
    const script = `
import json, sys
from prefect.utilities.templating import apply_values
from prefect.utilities.annotations import NotSet
data = json.load(sys.stdin)
out = []
for remove in (True, False):
    for t in data["templates"]:
        r = apply_values(t, data["values"], remove_notset=remove, skip_prefixes=["ctx."])
        out.append("<NotSet>" if r is NotSet else r)
print(json.dumps(out))`;
    const theirs = python(script, { templates, values }) as Json[];
    const ours = [true, false].flatMap((removeNotSet) => templates.map((t) => applyValues(t, values, { removeNotSet, skipPrefixes: ['ctx.'] })).map((r) => (typeof r === 'symbol' ? '<NotSet>' : r)));
    const differences = ours.map((o, i) => [JSON.stringify([templates[i % templates.length], i < templates.length]), o, theirs[i]]).filter(([, o, t]) => JSON.stringify(o) !== JSON.stringify(t));
    expect(differences.map(([which]) => which)).toEqual(DEVIATIONS);
    expect(differences[0]!.slice(1)).toEqual([['{{ missing }}', 'kept in pull steps'], ['kept in pull steps']]);
  });

  it('resolves blocks, then variables, as resolve_block_document_references and resolve_variables do', async () => {
    if (!templatingSource()) return console.warn(`no Prefect mirror at ${MIRROR}: templating parity not checked`);
    const blocks: Record<string, Record<string, Json>> = { 'secret/token': { value: 's3cret' }, 'json/cfg': { value: { cpu: 2048, list: [{ k: 'v' }] } }, 'aws-credentials/prod': { region: 'eu-west-1', key: 'k' } };
    const variables: Record<string, Json> = { owner: 'team', n: 3, flag: true, obj: { a: [1, null] } };
    const cases: Json[] = [
      '{{ prefect.blocks.secret.token }}', '{{ prefect.blocks.json.cfg }}', '{{ prefect.blocks.json.cfg.value.cpu }}', '{{ prefect.blocks.json.cfg.cpu }}', '{{ prefect.blocks.json.cfg.list[0].k }}',
      '{{ prefect.blocks.aws-credentials.prod }}', '{{ prefect.blocks.aws-credentials.prod.region }}', '{{ prefect.variables.owner }}', '{{ prefect.variables.n }}', 'by {{ prefect.variables.owner }} n={{ prefect.variables.n }}',
      'flag {{ prefect.variables.flag }}', 'obj {{ prefect.variables.obj }}', '{{ prefect.variables.obj }}', '{{ prefect.variables.missing }}', 'a{{ prefect.variables.missing }}b', { k: ['{{ prefect.variables.n }}'] },
    ];
    const script = `
import asyncio, json, sys
from prefect.utilities.templating import resolve_block_document_references, resolve_variables
data = json.load(sys.stdin)
class Doc:
    def __init__(self, data): self.data = data
class Var:
    def __init__(self, value): self.value = value
class Client:
    async def read_block_document_by_name(self, name, block_type_slug):
        return Doc(data["blocks"][block_type_slug + "/" + name])
    async def read_variable_by_name(self, name):
        return Var(data["variables"][name]) if name in data["variables"] else None
async def main():
    out = []
    for t in data["cases"]:
        r = await resolve_block_document_references(t, client=Client())
        out.append(await resolve_variables(r, client=Client()))
    print(json.dumps(out))
asyncio.run(main())`;
    const theirs = python(script, { cases, blocks, variables }) as Json[];
    const prefect = { block: async (slug: string, name: string) => blocks[`${slug}/${name}`]!, variable: async (name: string) => variables[name] };
    const ours: Json[] = [];
    for (const c of cases) ours.push(await resolvePrefectValues(c, prefect));
    expect(cases.map((c, i) => [c, ours[i], theirs[i]]).filter(([, o, t]) => JSON.stringify(o) !== JSON.stringify(t))).toEqual([]);
  });
});
