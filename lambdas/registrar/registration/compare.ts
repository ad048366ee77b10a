/**
 * Whether a deployment already is what the manifest asks for: every field of the desired body
 * against what Prefect returns, through the normalisations the server applies, so a repeated
 * event writes nothing and a manifest edit is never missed. Pure.
 */
import { sameStoredRrule } from '../manifest/rruleAnchor';
import { currentLimit, type DeploymentCreate, type ExistingDeployment } from './desired';

type Schedule = NonNullable<DeploymentCreate['schedules']>[number];

/** Order-sensitive deep equality of JSON values; a missing key equals null. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b || ((a === null || a === undefined) && (b === null || b === undefined))) return true;
  if (typeof a !== typeof b || typeof a !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((item, i) => sameJson(item, (b as unknown[])[i]));
  const keys = new Set([...Object.keys(a), ...Object.keys(b as object)]);
  return [...keys].every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function sameScheduleShape(want: Record<string, unknown>, have: Record<string, unknown>): boolean {
  if ('cron' in want) {
    // CronSchedule: timezone None stays None, day_or defaults to True (server/schemas/schedules.py:L344-L387).
    return want.cron === have.cron && sameJson(want.timezone, have.timezone) && (want.day_or ?? true) === (have.day_or ?? true);
  }
  if ('interval' in want) {
    // IntervalSchedule: anchor_date defaults to now and timezone follows it, so only given values count
    // (an anchor_date or timezone dropped from the manifest has no stored "unset" to compare with:
    // it stays as it is until another field changes; README "Convergence").
    if (Number(want.interval) !== Number(have.interval)) return false;
    if (want.anchor_date !== undefined && Date.parse(String(want.anchor_date)) !== Date.parse(String(have.anchor_date))) return false;
    return want.timezone === undefined || want.timezone === have.timezone;
  }
  // RRuleSchedule: timezone defaults to "UTC" (server/schemas/schedules.py:L549-L550); the rule
  // may come back with a DTSTART the server wrote (rruleAnchor.ts).
  return sameStoredRrule(String(want.rrule), String(have.rrule ?? '')) && (want.timezone ?? 'UTC') === (have.timezone ?? 'UTC');
}

function sameSchedule(want: Schedule, have: Record<string, unknown>): boolean {
  return (
    sameScheduleShape(want.schedule as Record<string, unknown>, (have.schedule ?? {}) as Record<string, unknown>) &&
    (want.active ?? true) === (have.active ?? true) &&
    sameJson(want.parameters ?? {}, have.parameters ?? {}) &&
    (want.slug ?? null) === (have.slug ?? null)
  );
}

/** Schedules match as a multiset: the server may return them in another order. */
function sameSchedules(want: readonly Schedule[], have: unknown): boolean {
  const left = Array.isArray(have) ? [...(have as Record<string, unknown>[])] : [];
  if (left.length !== want.length) return false;
  return want.every((w) => {
    const i = left.findIndex((h) => sameSchedule(w, h));
    return i >= 0 && left.splice(i, 1).length === 1;
  });
}

/** The fields of `body` that differ from the deployment; empty when nothing needs writing. */
export function changedFields(body: DeploymentCreate, existing: ExistingDeployment): string[] {
  const changed: string[] = [];
  for (const [field, want] of Object.entries(body)) {
    if (field === 'name' || field === 'flow_id') continue;
    let same: boolean;
    if (field === 'job_variables') {
      // Prefect 2 servers answer infra_overrides (2.20.0:src/prefect/_internal/compatibility/deprecated.py:L283-L322).
      same = sameJson(want, existing.job_variables ?? existing.infra_overrides ?? {});
    } else if (field === 'schedules') {
      same = sameSchedules(want as Schedule[], existing.schedules);
    } else if (field === 'concurrency_limit') {
      same = want === currentLimit(existing);
    } else if (field === 'concurrency_options') {
      const have = existing.concurrency_options as Record<string, unknown> | null | undefined;
      same = want === null ? have == null : have != null && sameJson({ grace_period_seconds: null, ...(want as object) }, { grace_period_seconds: null, ...have });
    } else {
      same = sameJson(want, existing[field]);
    }
    if (!same) changed.push(field);
  }
  // Without work_queue_name the server uses the pool's default queue (server/api/deployments.py:L146-L154).
  if (!('work_queue_name' in body) && existing.work_queue_name != null && existing.work_queue_name !== 'default') changed.push('work_queue_name');
  return changed;
}
