/**
 * The registrar's readings of a prefect.yaml against the real thing.
 *
 * Prefect 3.6.28's own code (validate_cron_string on its vendored croniter, apply_values and
 * get_from_dict, resolve_block_document_references and resolve_variables, normalize_rrule_string)
 * is never copied here: test/support/prefectParity runs it from the Prefect git mirror and commits
 * what it answered as a table (test/fixtures/prefect/parity-3.6.28.json, each section citing
 * tag:path:lines). Always, in CI too: our TypeScript ports against that table. Where the mirror
 * exists: the table against what Prefect's code answers now, so it cannot go stale silently
 * (skipped, by name, on a machine without it). A difference is a bug in our port unless listed
 * as a documented deviation.
 *
 * The libraries Prefect uses are run live with Python on this machine (installed with moto):
 * pydantic 2's timedelta, PyYAML's safe_load, zoneinfo's zone names and dateutil's rrulestr.
 */
import { spawnSync } from 'node:child_process';
import { cronProblem } from '../../lambdas/registrar/manifest/cron';
import type { Json } from '../../lambdas/registrar/manifest/placeholders';
import { applyValues, resolvePrefectValues } from '../../lambdas/registrar/registration/templating';
import { loadYaml, rruleProblem } from '../../lambdas/registrar/manifest/fromYaml';
import { intervalSeconds } from '../../lambdas/registrar/manifest/interval';
import { normalizeRrule, sameStoredRrule } from '../../lambdas/registrar/manifest/rruleAnchor';
import { ZONE_NAMES } from '../../lambdas/registrar/manifest/zoneNames';
import { BLOCKS, CRONS, NOWS, RESOLVE_TEMPLATES, RRULES, STEP_TEMPLATES, STEP_VALUES, VARIABLES } from '../support/prefectParity/cases';
import { MIRROR, hasMirror, prefectTable } from '../support/prefectParity/prefectCode';
import { NOT_SET, TABLE_FILE, TAG, readTable } from '../support/prefectParity/table';

const table = readTable();

function python(script: string, input: unknown): unknown {
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

describe(`the parity table ${TABLE_FILE}`, () => {
  it('holds an answer for exactly the cases in test/support/prefectParity/cases.ts (else run npm run parity:update)', () => {
    expect({
      tag: table.prefect.tag,
      cron: table.cron.rows.map((r) => r.cron),
      rrule: table.rrule.rows.map((r) => [r.rule, r.now]),
      applyValues: [table.applyValues.values, table.applyValues.rows.map((r) => [r.template, r.removeNotSet])],
      resolve: [table.resolve.blocks, table.resolve.variables, table.resolve.rows.map((r) => r.template)],
    }).toEqual({
      tag: TAG,
      cron: CRONS,
      rrule: RRULES.flatMap((rule) => NOWS.map((now) => [rule, now])),
      applyValues: [STEP_VALUES, [true, false].flatMap((removeNotSet) => STEP_TEMPLATES.map((template) => [template, removeNotSet]))],
      resolve: [BLOCKS, VARIABLES, RESOLVE_TEMPLATES],
    });
  });

  // Skipped, with the reason in its name, on a machine without the mirror (CI's clean clone): the committed table then stands on its own.
  const name = `is what Prefect ${TAG}'s code in the git mirror (${MIRROR}) answers now`;
  (hasMirror() ? it(name, () => {
    expect(prefectTable()).toEqual(table);
  }) : it.skip(`${name}: skipped, no Prefect git mirror with tag ${TAG} on this machine`, () => undefined));
});

describe(`our ports answer as Prefect ${TAG}'s code did (the parity table)`, () => {
  it(`accepts and refuses the same crons as validate_cron_string (${table.cron.source})`, () => {
    const differences = table.cron.rows.filter((row) => (cronProblem(row.cron) === undefined) !== row.valid);
    expect(differences).toEqual([]);
    expect(new Set(table.cron.rows.map((r) => r.valid))).toEqual(new Set([true, false]));
  });

  it(`writes the DTSTART a server writes into an rrule as normalize_rrule_string does (${table.rrule.source})`, () => {
    const differences = table.rrule.rows.filter((row) => normalizeRrule(row.rule, new Date(`${row.now}Z`)) !== row.stored);
    expect(differences).toEqual([]);
    // And what the server writes reads back as the rule sent.
    expect(table.rrule.rows.filter((row) => !sameStoredRrule(row.rule, row.stored))).toEqual([]);
  });

  it(`applies step outputs as apply_values does, removing unset values, keeping them, skipping ctx. (${table.applyValues.source})`, () => {
    const values = table.applyValues.values;
    const differences = table.applyValues.rows.flatMap((row) => {
      const ours = applyValues(row.template, values, { removeNotSet: row.removeNotSet, skipPrefixes: ['ctx.'] });
      const written = typeof ours === 'symbol' ? NOT_SET : ours;
      return JSON.stringify(written) === JSON.stringify(row.result) ? [] : [{ ...row, ours: written }];
    });
    // Ours keeps a list item whose placeholder has no value when unset values are kept (pull steps); Prefect drops it (its issue #15096).
    expect(differences).toEqual([{ template: ['{{ missing }}', 'kept in pull steps'], removeNotSet: false, result: ['kept in pull steps'], ours: ['{{ missing }}', 'kept in pull steps'] }]);
  });

  it(`resolves blocks, then variables, as resolve_block_document_references and resolve_variables do (${table.resolve.source})`, async () => {
    const { blocks, variables } = table.resolve;
    const prefect = { block: async (slug: string, name: string) => blocks[`${slug}/${name}`]!, variable: async (name: string) => variables[name] };
    const differences: unknown[] = [];
    for (const row of table.resolve.rows) {
      const ours: Json = await resolvePrefectValues(row.template, prefect);
      if (JSON.stringify(ours) !== JSON.stringify(row.result)) differences.push({ ...row, ours });
    }
    expect(differences).toEqual([]);
  });
});

describe('parity with the Python libraries Prefect uses', () => {
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

  it('knows exactly the zone names of Python\'s zoneinfo, but localtime (a host\'s own link, which Prefect\'s rrule zones leave out too)', () => {
    const theirs = python('import json, zoneinfo; print(json.dumps(sorted(zoneinfo.available_timezones())))', null) as string[];
    expect([...ZONE_NAMES].sort()).toEqual(theirs.filter((zone) => zone !== 'localtime'));
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
