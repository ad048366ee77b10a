/**
 * The work pool name against the task-definition family prefect-aws 0.7.7 builds from it. ECS's
 * rule for a family is "Up to 255 letters (uppercase and lowercase), numbers, underscores, and
 * hyphens" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html).
 *
 * Two parts, because nothing fetched from Prefect is committed:
 * - test/fixtures/prefect/ecs-families-prefect-aws-0.7.7.json, pool names and the families
 *   prefect-aws 0.7.7 produced for them (recorded from the mirror run below), against which
 *   WORK_POOL_NAME_PATTERN and the IAM resource of the flow-run families are always checked;
 * - where the Prefect git mirror exists, `_get_or_generate_family` of ecs_worker.py at that tag,
 *   read from the mirror and run with Python (slugify stubbed, to show what the worker does with
 *   its result): it reproduces the table and holds for random names. Elsewhere (a clean clone,
 *   CI) that part is skipped and says why. UPDATE_GOLDEN=1 rewrites the table from the mirror.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { WORK_POOL_NAME_MAX_LENGTH, WORK_POOL_NAME_PATTERN } from '../../templates/parameters/patterns';
import { flowRunTaskDefinitions } from '../../templates/worker/iam';
import { mirrorHasTag, noMirror, requireSourceAt } from '../support/prefectMirror';

const TAG = 'prefect-aws-0.7.7';
const FILE = 'src/integrations/prefect-aws/prefect_aws/workers/ecs_worker.py';
const TABLE_FILE = path.join(process.cwd(), 'test/fixtures/prefect/ecs-families-prefect-aws-0.7.7.json');
const HAS_MIRROR = mirrorHasTag(TAG);
const ECS_FAMILY = /^[A-Za-z0-9_-]{1,255}$/;

interface FamilyRow {
  readonly pool: string;
  /** null: a flow run without a deployment (the family then carries the flow's ID). */
  readonly deploymentId: string | null;
  readonly family: string;
}
interface FamilyTable {
  readonly source: string;
  readonly flowId: string;
  readonly rows: readonly FamilyRow[];
}

const table = JSON.parse(fs.readFileSync(TABLE_FILE, 'utf8')) as FamilyTable;
const accepted = (name: string) => new RegExp(WORK_POOL_NAME_PATTERN).test(name);

/** The IAM resource `…:task-definition/prefect_${WorkPoolName}_*` for a pool, as a matcher of family names. */
function iamFamilyMatcher(pool: string): RegExp {
  const arn = (JSON.parse(JSON.stringify(flowRunTaskDefinitions())) as { 'Fn::Sub': string })['Fn::Sub'];
  const family = arn.slice(arn.indexOf('task-definition/') + 'task-definition/'.length).replace('${WorkPoolName}', pool);
  return new RegExp(`^${family.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

describe(`WorkPoolName against the families ${TAG} produced (${path.basename(TABLE_FILE)})`, () => {
  it('admits a pool name exactly when its family is one ECS accepts and the name starts with a letter or digit', () => {
    for (const { pool, family } of table.rows) expect([pool, accepted(pool)]).toEqual([pool, ECS_FAMILY.test(family) && /^[A-Za-z0-9]/.test(pool)]);
  });

  it('covers both verdicts, "etl.prod" refused and the longest admitted name accepted (the table is not vacuous)', () => {
    const verdicts = new Map(table.rows.map((row) => [row.pool, accepted(row.pool)]));
    expect(verdicts.get('etl.prod')).toBe(false);
    expect(verdicts.get('p'.repeat(WORK_POOL_NAME_MAX_LENGTH))).toBe(true);
    expect(verdicts.get('p'.repeat(WORK_POOL_NAME_MAX_LENGTH + 1))).toBe(false);
  });

  it('lets the flow-run IAM resource match every family of an admitted pool as it is, without normalisation', () => {
    for (const { pool, family } of table.rows.filter((row) => accepted(row.pool))) expect([family, iamFamilyMatcher(pool).test(family)]).toEqual([family, true]);
  });
});

/** `_get_or_generate_family` and the constant it reads, from the mirror (a method of the worker class, run on a stand-in self). */
function familySource(): string {
  const source = requireSourceAt(TAG, FILE);
  const start = source.indexOf('    def _get_or_generate_family(');
  const end = source.indexOf('    def _prepare_task_definition(');
  const constant = /^ECS_DEFAULT_FAMILY = .*$/m.exec(source)?.[0];
  if (start < 0 || end < start || !constant) throw new Error(`cannot find _get_or_generate_family and ECS_DEFAULT_FAMILY in ${TAG}:${FILE}`);
  return `${constant}\nclass Worker:\n${source.slice(start, end)}`;
}

const SCRIPT = `
from __future__ import annotations
import json, sys
from types import SimpleNamespace
from typing import Any
FlowRun = Any
slugify_calls = []
def slugify(text, **options):
    slugify_calls.append(options)
    return "slugified-and-discarded"
exec(compile(sys.argv[1], "ecs_worker.py", "exec"))
out = []
data = json.load(sys.stdin)
for case in data["cases"]:
    worker = Worker()
    worker._work_pool_name = case["pool"]
    run = SimpleNamespace(deployment_id=case["deploymentId"], flow_id=data["flowId"])
    out.append(worker._get_or_generate_family({}, run))
print(json.dumps({"families": out, "slugify": slugify_calls[:1]}))
`;

function families(cases: readonly Omit<FamilyRow, 'family'>[]): { families: string[]; slugify: object[] } {
  const run = spawnSync('python3', ['-c', SCRIPT, familySource()], { input: JSON.stringify({ cases, flowId: table.flowId }), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as { families: string[]; slugify: object[] };
}

const mirrorDescribe = HAS_MIRROR ? describe : describe.skip;
const mirrorTitle = HAS_MIRROR ? `${TAG}'s _get_or_generate_family, run from the Prefect git mirror` : `${TAG}'s _get_or_generate_family (${noMirror(TAG)})`;

mirrorDescribe(mirrorTitle, () => {
  it(`reproduces every row of ${path.basename(TABLE_FILE)}`, () => {
    const produced = families(table.rows).families;
    const rows = table.rows.map((row, i) => ({ ...row, family: produced[i]! }));
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(TABLE_FILE, `${JSON.stringify({ ...table, rows }, null, 2)}\n`);
    expect(rows).toEqual(table.rows);
  });

  it('is prefect_<pool>_<id> as it is: slugify is called and its result discarded, so "etl.prod" gives a family ECS refuses', () => {
    const result = families([{ pool: 'etl.prod', deploymentId: table.flowId }]);
    expect(result.families).toEqual([`prefect_etl.prod_${table.flowId}`]);
    expect(result.slugify).toEqual([{ max_length: 255, regex_pattern: '[^a-zA-Z0-9-_]+' }]);
    expect(ECS_FAMILY.test(result.families[0]!)).toBe(false);
  });

  it('gives an ECS family exactly for the names WorkPoolName admits, less those starting with "_" or "-" (random names)', () => {
    const chars = [...'abcXYZ019_-.: /é%&'];
    const names = fc.sample(fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 12 }).map((c) => c.join('')), { numRuns: 400, seed: 9 });
    const result = families(names.map((pool) => ({ pool, deploymentId: table.flowId }))).families;
    names.forEach((name, i) => expect([name, accepted(name)]).toEqual([name, ECS_FAMILY.test(result[i]!) && /^[A-Za-z0-9]/.test(name)]));
  });
});
