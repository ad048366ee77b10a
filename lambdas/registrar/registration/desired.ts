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
import { pythonStr, type Json, type JsonObject } from '../manifest/placeholders';
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

/** A templated schedule entry as the API's DeploymentScheduleCreate (_schedules.py:L53-L94). */
export function toScheduleCreate(entry: JsonObject, where: string): ScheduleCreate {
  const timezone = text(entry.timezone);
  let schedule: ScheduleCreate['schedule'];
  if (text(entry.cron)) {
    const dayOr = entry.day_or === undefined || entry.day_or === null ? undefined : laxBool(entry.day_or);
    schedule = { cron: entry.cron as string, ...(timezone ? { timezone } : {}), ...(dayOr === undefined ? {} : { day_or: dayOr }) };
  } else if (entry.interval !== undefined && entry.interval !== null) {
    const seconds = intervalSeconds(entry.interval);
    if (seconds === undefined || seconds <= 0) throw new TemplateError(`${where}.interval ${JSON.stringify(entry.interval)} is not a positive duration`);
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
  const active = entry.active === undefined || entry.active === null ? undefined : laxBool(entry.active);
  if (entry.active !== undefined && entry.active !== null && active === undefined) throw new TemplateError(`${where}.active resolved to ${JSON.stringify(entry.active)}, not true or false`);
  return {
    schedule,
    ...(active === undefined ? {} : { active }),
    ...(isMapping(entry.parameters) && Object.keys(entry.parameters).length > 0 ? { parameters: entry.parameters } : {}),
    ...(text(entry.slug) ? { slug: entry.slug as string } : {}),
    ...(text(entry.replaces) ? { replaces: entry.replaces as string } : {}),
  };
}

/** RunnerDeployment.tags: `[str(s) for s in x if str(s).strip()]` (3.6.28:src/prefect/types/__init__.py:L139-L142). */
function tagsOf(value: Json | undefined, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new TemplateError(`${where}.tags resolved to ${JSON.stringify(value)}, not a list`);
  return value.map((tag) => pythonStr(tag)).filter((tag) => tag.trim() !== '');
}

/** The templated entry (and pull steps) as the body; `existing` decides whether a dropped limit needs removing. */
export function desiredBody(plan: PlannedDeployment, entry: JsonObject, pullSteps: Json[], flowId: string, defaultWorkPool: string, existing?: ExistingDeployment): DeploymentCreate {
  const where = `deployment "${plan.name}"`;
  const pool = isMapping(entry.work_pool) ? entry.work_pool : {};
  const jobVariables = isMapping(pool.job_variables) ? { ...pool.job_variables } : {};
  // The rule for `image`: a `{{ <step>.image }}` placeholder (resolved by templating), or the pushed image when absent.
  if (!('image' in jobVariables)) jobVariables.image = plan.image;
  const limit = entry.concurrency_limit;
  const spec = isMapping(limit) ? limit : undefined;
  const limitValue = spec ? spec.limit : limit;
  const schedules = Array.isArray(entry.schedules) ? entry.schedules : [];
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
    tags: tagsOf(entry.tags, where),
    parameters: isMapping(entry.parameters) ? entry.parameters : {},
    schedules: schedules.map((s, i) => toScheduleCreate(s as JsonObject, `${where}: schedules[${i}]`)),
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
