/**
 * The deployment a push asks for, as the `POST /deployments/` body: the manifest entry after
 * templating (templating.ts), mapped the way `prefect deploy` maps it
 * (3.6.28:src/prefect/cli/deploy/_core.py:L344-L393, _schedules.py:L43-L94).
 *
 * POST upserts on (flow_id, name) and the server writes only the fields given
 * (3.6.28:src/prefect/server/models/deployments.py:L157-L192, `exclude_unset=True`), except
 * schedules, which it always replaces (L210-L235). So an optional field is sent only when the
 * manifest sets it: Prefect 2 servers answer 422 to fields they lack (`concurrency_limit` came
 * in 3.0.0, `concurrency_options` in 3.0.3, a schedule's `slug`/`parameters` in 3.2.0,
 * `replaces` in 3.6.17), and an omitted `paused` keeps a person's pause. A limit the manifest
 * dropped is removed with `concurrency_limit: null`, sent only when the deployment has a limit of
 * its own (`ownsLimit`: so the server has the field, and a shared limit is left alone).
 */
import type { components } from '../../common/prefect/schema';
import { intervalSeconds } from '../manifest/interval';
import { hasPlaceholders, pythonStr, type Json, type JsonObject } from '../manifest/placeholders';
import { laxBool, rruleOf } from '../manifest/schedules';
import { isMapping } from '../manifest/shape';
import { TemplateError } from '../errors';
import { versionOf, type PlannedDeployment } from './plan';

export type DeploymentCreate = components['schemas']['DeploymentCreate'];
type ScheduleCreate = components['schemas']['DeploymentScheduleCreate'];

/** What Prefect says about a deployment now (GET /deployments/name/{flow}/{name}). */
export interface ExistingDeployment {
  readonly id: string;
  readonly [field: string]: unknown;
}

/**
 * The deployment's concurrency limit as the server answers it. Prefect >= 3.0.3 keeps it in a
 * global concurrency limit and answers `concurrency_limit: null`, "Will always be None for
 * backwards compatibility" (3.6.28:src/prefect/server/schemas/responses.py:L433-L441; the ORM
 * column became `_concurrency_limit`, database/orm_models.py:L853); 3.0.0-3.0.2 answer the number
 * in `concurrency_limit` (3.0.2:src/prefect/server/schemas/responses.py:L363-L366).
 */
export function currentLimit(existing: ExistingDeployment | undefined): number | null {
  const global = existing?.global_concurrency_limit as { limit?: unknown } | null | undefined;
  const limit = typeof global?.limit === 'number' ? global.limit : existing?.concurrency_limit;
  return typeof limit === 'number' ? limit : null;
}

/**
 * Whether the deployment's limit is its own: the one the server creates for `concurrency_limit`,
 * named `deployment:<id>` (3.6.28:src/prefect/server/models/deployments.py:L430-L458), or a
 * 3.0.0-3.0.2 number. Only such a limit is removed when the manifest drops it: `concurrency_limit:
 * null` deletes whatever limit the deployment links to (L713-L723), and a shared one linked by a
 * person (`global_concurrency_limit_id`) is not the manifest's to delete.
 */
export function ownsLimit(existing: ExistingDeployment | undefined): boolean {
  const global = existing?.global_concurrency_limit as { name?: unknown } | null | undefined;
  if (global) return global.name === `deployment:${existing?.id}`;
  return typeof existing?.concurrency_limit === 'number';
}

const text = (value: Json | undefined): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export interface BodyOptions {
  /**
   * Leave values that still hold block or variable placeholders as they are, unchecked: the
   * preview, which has no Prefect to resolve them (they are listed as resolved at registration).
   * @default false
   */
  readonly keepUnresolved?: boolean;
}

const jsonType = (value: Json | undefined) => (value === null || value === undefined ? 'nothing' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `a ${typeof value === 'number' ? 'number' : typeof value}`);

/**
 * What a value resolved to, without the value (it may have come from a secret block): its JSON
 * type and the manifest text it came from, which is not secret.
 */
const resolvedTo = (value: Json | undefined, source: Json | undefined) => `${jsonType(value)}${typeof source === 'string' ? ` (from ${JSON.stringify(source)})` : ''}`;

/** A value that is still a block or variable placeholder, in the preview. */
const unresolved = (value: Json | undefined, options: BodyOptions) => options.keepUnresolved === true && hasPlaceholders(value, ['block', 'variable']);

/** A templated schedule entry as the API's DeploymentScheduleCreate (_schedules.py:L53-L94); `source` is the entry as written. */
export function toScheduleCreate(entry: JsonObject, where: string, source: JsonObject = entry, options: BodyOptions = {}): ScheduleCreate {
  const timezone = text(entry.timezone);
  let schedule: ScheduleCreate['schedule'];
  if (text(entry.cron)) {
    const dayOr = entry.day_or === undefined || entry.day_or === null || unresolved(entry.day_or, options) ? undefined : laxBool(entry.day_or);
    schedule = { cron: entry.cron as string, ...(timezone ? { timezone } : {}), ...(dayOr === undefined ? {} : { day_or: dayOr }) };
  } else if (unresolved(entry.interval, options)) {
    schedule = { interval: entry.interval as never };
  } else if (entry.interval !== undefined && entry.interval !== null) {
    const seconds = intervalSeconds(entry.interval);
    if (seconds === undefined || seconds <= 0) throw new TemplateError(`${where}.interval resolved to ${resolvedTo(entry.interval, source.interval)}, not a positive duration`);
    const anchor = text(entry.anchor_date);
    schedule = { interval: seconds, ...(anchor ? { anchor_date: anchor } : {}), ...(timezone ? { timezone } : {}) };
  } else if (text(entry.rrule)) {
    const raw = entry.rrule as string;
    let zone = timezone;
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (isMapping(parsed as Json) && !zone && typeof (parsed as JsonObject).timezone === 'string') zone = (parsed as JsonObject).timezone as string;
    } catch {
      // a plain rule
    }
    schedule = { rrule: rruleOf(raw), ...(zone ? { timezone: zone } : {}) };
  } else {
    throw new TemplateError(`${where}: a schedule needs cron, interval or rrule`);
  }
  const keepActive = unresolved(entry.active, options);
  const active = entry.active === undefined || entry.active === null || keepActive ? undefined : laxBool(entry.active);
  if (entry.active !== undefined && entry.active !== null && !keepActive && active === undefined) throw new TemplateError(`${where}.active resolved to ${resolvedTo(entry.active, source.active)}, not true or false`);
  return {
    schedule,
    ...(keepActive ? { active: entry.active as never } : active === undefined ? {} : { active }),
    ...(isMapping(entry.parameters) && Object.keys(entry.parameters).length > 0 ? { parameters: entry.parameters } : {}),
    ...(text(entry.slug) ? { slug: entry.slug as string } : {}),
    ...(text(entry.replaces) ? { replaces: entry.replaces as string } : {}),
  };
}

/** RunnerDeployment.tags: `[str(s) for s in x if str(s).strip()]` (3.6.28:src/prefect/types/__init__.py:L139-L142). */
function tagsOf(value: Json | undefined, where: string, source: Json | undefined, options: BodyOptions): string[] {
  if (value === undefined || value === null) return [];
  if (unresolved(value, options)) return value as never;
  if (!Array.isArray(value)) throw new TemplateError(`${where}.tags resolved to ${resolvedTo(value, source)}, not a list`);
  return value.map((tag) => pythonStr(tag)).filter((tag) => tag.trim() !== '');
}

/**
 * The templated entry (and pull steps) as the body; `existing` decides whether a dropped limit
 * needs removing. `plan.deployment.entry`, the entry as written, names where a bad value came from.
 */
export function desiredBody(plan: PlannedDeployment, entry: JsonObject, pullSteps: Json[], flowId: string, defaultWorkPool: string, existing?: ExistingDeployment, options: BodyOptions = {}): DeploymentCreate {
  const where = `deployment "${plan.name}"`;
  const written = plan.deployment.entry;
  const pool = isMapping(entry.work_pool) ? entry.work_pool : {};
  const jobVariables = isMapping(pool.job_variables) ? { ...pool.job_variables } : {};
  // The image rule (manifest/check.ts): `{{ <image step>.image }}` or `{{ image }}`, which templating made the
  // pushed image, or nothing, and then the pushed image. Anything else would not run what was pushed.
  if (!('image' in jobVariables)) jobVariables.image = plan.image;
  else if (jobVariables.image !== plan.image) throw new TemplateError(`${where}: work_pool.job_variables.image is not the pushed image ${plan.image}: write '{{ <build step id>.image }}' or leave it out`);
  const limit = entry.concurrency_limit;
  const spec = isMapping(limit) ? limit : undefined;
  const limitValue = spec ? spec.limit : limit;
  const schedules = Array.isArray(entry.schedules) ? entry.schedules : [];
  const writtenSchedules = Array.isArray(written.schedules) ? written.schedules : [];
  return {
    name: plan.name,
    flow_id: flowId,
    entrypoint: plan.deployment.entrypoint,
    work_pool_name: text(pool.name) ?? defaultWorkPool,
    ...(text(pool.work_queue_name) ? { work_queue_name: pool.work_queue_name as string } : {}),
    job_variables: jobVariables,
    pull_steps: pullSteps as DeploymentCreate['pull_steps'],
    version: text(entry.version) ?? versionOf(plan.pushed),
    description: text(entry.description) ?? null,
    tags: tagsOf(entry.tags, where, written.tags, options),
    parameters: isMapping(entry.parameters) ? entry.parameters : {},
    schedules: schedules.map((s, i) => toScheduleCreate(s as JsonObject, `${where}: schedules[${i}]`, isMapping(writtenSchedules[i]) ? (writtenSchedules[i] as JsonObject) : undefined, options)),
    ...(typeof limitValue === 'number' ? { concurrency_limit: limitValue } : ownsLimit(existing) ? { concurrency_limit: null } : {}),
    ...(spec
      ? { concurrency_options: { collision_strategy: spec.collision_strategy as 'ENQUEUE' | 'CANCEL_NEW', ...(typeof spec.grace_period_seconds === 'number' ? { grace_period_seconds: spec.grace_period_seconds } : {}) } }
      : existing?.concurrency_options != null
        ? { concurrency_options: null }
        : {}),
    ...(typeof entry.paused === 'boolean' ? { paused: entry.paused } : {}),
    ...(typeof entry.enforce_parameter_schema === 'boolean' ? { enforce_parameter_schema: entry.enforce_parameter_schema } : {}),
  };
}
