/**
 * Flow runs as `POST /flow_runs/filter` and `GET /flow_runs/{id}` return them (FlowRunResponse,
 * openapi.json), reduced to the fields the scaler reads. A count cannot see `empirical_policy`,
 * `infrastructure_pid` or `labels`; a list can.
 */
import { PrefectResponseError } from '../../common/errors';
import { expectData, type PrefectClient } from '../../common/prefect/client';
import { WORKER_NAME_LABEL } from '../prefectWorker';
import type { ListBody } from './bodies';

export interface ListedRun {
  readonly id: string;
  readonly stateType: string;
  readonly stateName: string;
  readonly stateId: string;
  /** Epoch ms the current state began. */
  readonly since: number;
  readonly queue?: string;
  /** Epoch ms; SCHEDULED runs only. */
  readonly nextScheduledAt?: number;
  /** "<cluster>::<taskArn>" once RunTask returned (prefect-aws-0.7.7:.../workers/ecs_worker.py:753-761). */
  readonly pid?: string;
  /** `empirical_policy.retry_type`: "in_process" for a retry inside the run's own container. */
  readonly retryType?: string;
  /** The `prefect.worker.name` label (./../prefectWorker.ts says when it can be trusted). */
  readonly workerName?: string;
  readonly deploymentId?: string;
  /** `state.state_details.transition_id` of the current state. */
  readonly transitionId?: string;
}

const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const time = (value: unknown): number | undefined => {
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? undefined : at;
};

/** One run of an answer; throws when it lacks what every flow run has. */
export function parseListedRun(value: unknown, path: string): ListedRun {
  const run = record(value);
  const state = record(run.state);
  const id = text(run.id);
  const stateType = text(state.type) ?? text(run.state_type);
  const since = time(state.timestamp);
  if (!id || !stateType || !text(state.id) || since === undefined) throw new PrefectResponseError(path, 'a flow run without id or state (id, type, timestamp)');
  return {
    id,
    stateType,
    stateName: text(state.name) ?? text(run.state_name) ?? '',
    stateId: text(state.id)!,
    since,
    queue: text(run.work_queue_name),
    nextScheduledAt: time(run.next_scheduled_start_time),
    pid: text(run.infrastructure_pid),
    retryType: text(record(run.empirical_policy).retry_type),
    workerName: text(record(run.labels)[WORKER_NAME_LABEL]),
    deploymentId: text(run.deployment_id),
    transitionId: text(record(state.state_details).transition_id),
  };
}

export async function listRuns(prefect: PrefectClient, body: ListBody): Promise<ListedRun[]> {
  const path = '/flow_runs/filter';
  const answer = await expectData<unknown>(path, () => prefect.POST('/flow_runs/filter', { body }));
  if (!Array.isArray(answer)) throw new PrefectResponseError(path, 'expected a list of flow runs');
  return answer.map((run) => parseListedRun(run, path));
}

export async function readRun(prefect: PrefectClient, id: string): Promise<ListedRun> {
  const path = `/flow_runs/${id}`;
  return parseListedRun(await expectData<unknown>(path, () => prefect.GET('/flow_runs/{id}', { params: { path: { id } } })), path);
}
