/**
 * prefect.yaml schedules, checked as Prefect checks them and turned into API schedules.
 * Source: 3.6.28:src/prefect/cli/deploy/_schedules.py:L43-L94 (what `prefect deploy` builds),
 * _models.py:L107-L140 (the accepted keys, exactly one of cron/interval/rrule) and the server's
 * validators (3.6.28:src/prefect/_internal/schemas/validators.py:L240-L306).
 */
import { cronProblem } from './cron';
import { intervalSeconds } from './interval';
import { hasPlaceholders, type Json, type JsonObject } from './placeholders';
import { SCHEDULE, checkFields, isMapping, suggestion } from './shape';

/** Checks that need data or libraries the Lambda does not carry; synth and preview pass them. */
export interface ValueChecks {
  /** Whether Python's zoneinfo knows the name. @default not checked (the server checks cron and interval zones: 422) */
  readonly timezone?: (name: string) => { readonly ok: boolean; readonly near?: string };
  /** Why dateutil's rrulestr would refuse the rule. @default not checked (the server checks it: 422) */
  readonly rrule?: (rule: string) => string | undefined;
}

/** validators.py:L287 */
export const MAX_RRULE_LENGTH = 6500;

/** pydantic's lax bool from text, which `active` and `day_or` take (`Union[bool, str]`, _models.py:L125, L131). */
export function laxBool(value: Json | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  if (['true', 'yes', 'on', '1', 't', 'y'].includes(text)) return true;
  if (['false', 'no', 'off', '0', 'f', 'n'].includes(text)) return false;
  return undefined;
}

/** A deployment's schedule entries: `schedules`, or the legacy single `schedule` (_config.py:L531-L550). */
export function scheduleEntries(deployment: JsonObject, where: string, problems: string[]): Json[] {
  const legacy = deployment.schedule;
  const hasLegacy = isMapping(legacy) && Object.keys(legacy).length > 0;
  if (hasLegacy && 'schedules' in deployment) problems.push(`${where}: both schedule and schedules are set; use only schedules`);
  return hasLegacy ? [legacy] : Array.isArray(deployment.schedules) ? deployment.schedules : [];
}

/** Problems of one schedule entry; values holding placeholders are checked after they resolve. */
export function scheduleProblems(entry: Json, where: string, checks: ValueChecks): string[] {
  if (!isMapping(entry)) return [`${where} must be a mapping such as {cron: "0 2 * * *", timezone: Europe/Berlin}`];
  if ('schedule' in entry) return [`${where} nests schedule:, which prefect deploy cannot read ("Unknown schedule type"): write cron:, interval: or rrule: directly in the entry`];
  const problems = checkFields(entry, SCHEDULE, `${where}.`, 'a schedule');
  const kinds = (['cron', 'interval', 'rrule'] as const).filter((k) => entry[k] !== undefined && entry[k] !== null);
  if (kinds.length !== 1) return [...problems, `${where}: exactly one of cron, interval or rrule must be given (got ${kinds.length === 0 ? 'none' : kinds.join(', ')})`];
  const literal = (key: string) => entry[key] !== undefined && entry[key] !== null && !hasPlaceholders(entry[key]);
  if (literal('cron') && typeof entry.cron === 'string') {
    const why = cronProblem(entry.cron);
    if (why) problems.push(`${where}.cron ${JSON.stringify(entry.cron)} is not a cron Prefect accepts: ${why}`);
  }
  if (literal('interval')) {
    const seconds = intervalSeconds(entry.interval);
    if (seconds === undefined) problems.push(`${where}.interval ${JSON.stringify(entry.interval)} is not a duration: give seconds (3600), ISO 8601 (PT1H, P1D) or HH:MM:SS`);
    else if (seconds <= 0) problems.push(`${where}.interval must be positive (got ${JSON.stringify(entry.interval)})`);
  }
  if (literal('rrule') && typeof entry.rrule === 'string') {
    const rule = rruleOf(entry.rrule);
    if (rule.length > MAX_RRULE_LENGTH) problems.push(`${where}.rrule is ${rule.length} characters; Prefect takes at most ${MAX_RRULE_LENGTH}`);
    const why = checks.rrule?.(rule);
    if (why) problems.push(`${where}.rrule ${JSON.stringify(rule)} is not an RRule Prefect accepts: ${why}`);
  }
  for (const key of ['timezone', 'anchor_date'] as const) {
    if (!literal(key) || typeof entry[key] !== 'string' || entry[key] === '') continue;
    if (key === 'timezone') {
      const zone = checks.timezone?.(entry.timezone as string);
      if (zone && !zone.ok) problems.push(`${where}.timezone ${JSON.stringify(entry.timezone)} is not an IANA time zone name${zone.near ? ` (did you mean "${zone.near}"?)` : ''}`);
    } else if (Number.isNaN(Date.parse(entry.anchor_date as string))) {
      problems.push(`${where}.anchor_date ${JSON.stringify(entry.anchor_date)} is not an ISO 8601 date-time such as 2024-01-01T00:00:00+00:00`);
    }
  }
  for (const key of ['active', 'day_or'] as const) {
    if (literal(key) && laxBool(entry[key]) === undefined) problems.push(`${where}.${key} must be true or false (got ${JSON.stringify(entry[key])})`);
  }
  return problems;
}

/** An rrule given as the JSON `{"rrule": ..., "timezone": ...}` (_schedules.py:L72-L78) or as the rule itself. */
export function rruleOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (isMapping(parsed) && typeof parsed.rrule === 'string') return parsed.rrule;
  } catch {
    // a plain rule
  }
  return text;
}

/** The zone check synth and preview use: exact membership, as Prefect's default_timezone. */
export function zoneCheck(names: ReadonlySet<string>): NonNullable<ValueChecks['timezone']> {
  return (name) => (names.has(name) ? { ok: true } : { ok: false, near: suggestion(name, [...names]).match(/"(.+)"/)?.[1] });
}
