/**
 * The shape of a prefect.yaml as `prefect deploy` validates it: the pydantic models of
 * 3.6.28:src/prefect/cli/deploy/_models.py, written as data. Prefect ignores unknown keys at
 * the top level, in a deployment and in work_pool (`extra="ignore"`, L13-L62); here they are
 * errors with the nearest known key, because a misspelled `descriptoin:` would otherwise vanish.
 * A schedule's unknown key fails in Prefect too (RawScheduleConfig `extra="forbid"`, L107-L113).
 */
import { closest, distance } from 'fastest-levenshtein';
import type { Json, JsonObject } from './placeholders';

export type FieldType = 'string' | 'boolean' | 'integer' | 'mapping' | 'list' | 'steps' | 'null' | 'any' | 'number';

/** Each key with the types it may hold (a union, as the Optional[...] of the model). */
export type Fields = Readonly<Record<string, readonly FieldType[]>>;

const STEPS: readonly FieldType[] = ['steps', 'null']; // Optional[Union[List[Dict], Dict]] (L47-L49)

/** PrefectYamlModel (L61-L74), plus `definitions` (Prefect's docs keep YAML anchors there:
 * 3.6.28:docs/v3/how-to-guides/deployments/prefect-yaml.mdx:L713-L723) and our `ecr_triggers`. */
export const TOP_LEVEL: Fields = {
  'prefect-version': ['string', 'null'],
  name: ['string', 'null'],
  build: STEPS,
  push: STEPS,
  pull: STEPS,
  deployments: ['list'],
  definitions: ['any'],
  ecr_triggers: ['list'],
};

/** DeploymentConfig (L21-L58). */
export const DEPLOYMENT: Fields = {
  name: ['string', 'null'],
  version: ['string', 'null'],
  version_type: ['string', 'null'],
  tags: ['string', 'list', 'null'],
  description: ['string', 'null'],
  schedule: ['mapping', 'null'],
  schedules: ['list', 'null'],
  paused: ['boolean', 'null'],
  concurrency_limit: ['integer', 'mapping', 'null'],
  flow_name: ['string', 'null'],
  entrypoint: ['string', 'null'],
  parameters: ['mapping'],
  enforce_parameter_schema: ['boolean', 'null'],
  build: STEPS,
  push: STEPS,
  pull: STEPS,
  work_pool: ['mapping', 'null'],
  triggers: ['list', 'null'],
  sla: ['list', 'null'],
};

/** WorkPoolConfig (L13-L18). */
export const POOL_FIELDS: Fields = { name: ['string', 'null'], work_queue_name: ['string', 'null'], job_variables: ['mapping'] };

/** ConcurrencyLimitSpec (L99-L104). */
export const CONCURRENCY_LIMIT: Fields = { limit: ['integer', 'null'], collision_strategy: ['string', 'null'], grace_period_seconds: ['integer', 'null'] };

/** RawScheduleConfig (L107-L140); `interval` is a timedelta, read in interval.ts. */
export const SCHEDULE: Fields = {
  cron: ['string', 'null'],
  interval: ['number', 'string', 'null'],
  rrule: ['string', 'null'],
  timezone: ['string', 'null'],
  anchor_date: ['string', 'null'],
  active: ['boolean', 'string', 'null'],
  parameters: ['mapping'],
  slug: ['string', 'null'],
  replaces: ['string', 'null'],
  day_or: ['boolean', 'string', 'null'],
};

/** Our ecr_triggers entries. */
export const TRIGGER: Fields = { repository: ['string'], tags: ['list'], deployments: ['list'] };

export const isMapping = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function hasType(value: Json | undefined, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    // pydantic's lax int takes a bool too; a YAML 1.1 bool is never meant as a number, so not here.
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'mapping':
      return isMapping(value);
    case 'list':
      return Array.isArray(value);
    case 'steps':
      return isMapping(value) || (Array.isArray(value) && value.every(isMapping));
    case 'null':
      return value === null;
    case 'any':
      return true;
  }
}

const describe = (types: readonly FieldType[]) =>
  types.map((t) => ({ steps: 'a list of steps', mapping: 'a mapping', list: 'a list', null: 'empty', any: 'anything', integer: 'a whole number' } as Record<string, string>)[t] ?? `a ${t}`).join(' or ');

/** The nearest known key, when it is near enough to be a misspelling. */
export function suggestion(key: string, known: readonly string[]): string {
  const near = closest(key, [...known]);
  return distance(key, near) <= Math.max(2, Math.floor(near.length / 3)) ? ` (did you mean "${near}"?)` : '';
}

/** Problems of one mapping against its fields: unknown keys and wrong types, each naming `where.key`. */
export function checkFields(value: JsonObject, fields: Fields, where: string, what: string): string[] {
  const problems: string[] = [];
  const known = Object.keys(fields);
  for (const [key, inner] of Object.entries(value)) {
    const types = fields[key];
    if (!types) problems.push(`${where}${key} is not a key of ${what}${suggestion(key, known)}; allowed: ${known.join(', ')}`);
    else if (!types.some((t) => hasType(inner, t))) problems.push(`${where}${key} must be ${describe(types)} (got ${JSON.stringify(inner)})`);
  }
  return problems;
}

/** A step list or a single step mapping (Prefect takes both) as a list. */
export const stepList = (value: Json | undefined): JsonObject[] => (Array.isArray(value) ? (value as JsonObject[]) : isMapping(value) && Object.keys(value).length > 0 ? [value] : []);
