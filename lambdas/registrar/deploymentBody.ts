/** The full POST /deployments/ body for a planned deployment (the server overwrites what it is given). */
import type { components } from '../common/prefect/schema';
import type { PlannedDeployment } from './plan';

type DeploymentCreate = components['schemas']['DeploymentCreate'];
type ScheduleCreate = components['schemas']['DeploymentScheduleCreate'];

const SCHEDULE_KEYS = ['cron', 'interval', 'rrule', 'timezone', 'anchor_date', 'day_or'];

/** prefect.yaml schedule entries ({cron|interval|rrule, timezone, active ...} or {schedule: ...}) as the API wants them. */
export function toScheduleCreate(entry: Record<string, unknown>): ScheduleCreate {
  const { schedule, ...rest } = entry;
  const inner = (schedule ?? Object.fromEntries(Object.entries(rest).filter(([k, v]) => SCHEDULE_KEYS.includes(k) && v !== null && v !== undefined))) as ScheduleCreate['schedule'];
  const outer = Object.fromEntries(Object.entries(rest).filter(([k, v]) => !SCHEDULE_KEYS.includes(k) && v !== null && v !== undefined));
  const active = typeof outer.active === 'string' ? outer.active !== 'false' : (outer.active as boolean | undefined) ?? true;
  return { ...outer, schedule: inner, active } as ScheduleCreate;
}

export function deploymentBody(plan: PlannedDeployment, flowId: string, existingPaused: boolean | undefined): DeploymentCreate {
  const spec = plan.spec;
  return {
    name: plan.name,
    flow_id: flowId,
    entrypoint: spec.entrypoint,
    work_pool_name: plan.workPool,
    work_queue_name: plan.workQueue,
    job_variables: plan.jobVariables,
    pull_steps: [...plan.pullSteps] as DeploymentCreate['pull_steps'],
    version: plan.version,
    description: spec.description ?? null,
    tags: [...spec.tags],
    parameters: spec.parameters,
    schedules: plan.schedules.map(toScheduleCreate),
    concurrency_limit: spec.concurrencyLimit ?? null,
    // A person's pause survives a push unless the manifest says otherwise.
    paused: spec.paused ?? existingPaused ?? false,
    ...(spec.enforceParameterSchema === undefined ? {} : { enforce_parameter_schema: spec.enforceParameterSchema }),
  };
}
