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
