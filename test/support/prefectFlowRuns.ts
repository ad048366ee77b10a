/**
 * The flow-run side of the Prefect stand-in: filter semantics of `POST /flow_runs/count` and
 * `/flow_runs/filter`, the filter keys each server version knows, and the 422 body it answers to
 * an unknown one, all as Prefect's source has them (tags cited per fact). The stand-in evaluates
 * only the keys listed here; any other key is a test error, so a test cannot pass on a filter
 * the stand-in ignores.
 */

/** Server versions whose differences matter to the Lambdas. */
export type ServerVersion = '3.6.28' | '3.0.3' | '2.20.25';

export type StateType = 'SCHEDULED' | 'PENDING' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'CRASHED' | 'PAUSED' | 'CANCELLING';

export interface StandInFlowRun {
  readonly id: string;
  readonly work_pool_name: string;
  readonly work_queue_name: string;
  state_type: StateType;
  state_name?: string;
  /** The current state's id and timestamp (ISO); defaults are derived from the run id. */
  state_id?: string;
  state_timestamp?: string;
  /** state_details.transition_id of the current state. */
  transition_id?: string;
  state_message?: string;
  next_scheduled_start_time?: string;
  expected_start_time?: string;
  end_time?: string;
  infrastructure_pid?: string | null;
  /** FlowRun.labels (3.1.6+ workers write `prefect.worker.name` before Submitting: 3.6.28:src/prefect/workers/base.py:1494-1498). */
  labels?: Record<string, string>;
  /** empirical_policy.retry_type: "in_process" while the engine retries in its own container (core_policy.py:1094-1110). */
  retry_type?: 'in_process' | 'reschedule' | null;
  deployment_id?: string | null;
}

type Range = { before_?: string; after_?: string };
export interface FlowRunsBody {
  work_pools?: { name?: { any_?: string[] } };
  work_pool_queues?: { name?: { any_?: string[] } };
  flow_runs?: {
    id?: { any_?: string[]; not_any_?: string[] };
    deployment_id?: { any_?: string[] };
    state?: { type?: { any_?: string[] }; name?: { any_?: string[] } };
    next_scheduled_start_time?: Range;
    expected_start_time?: Range;
    end_time?: Range;
  };
  sort?: string;
  limit?: number;
  offset?: number;
}

const EVALUATED_TOP_LEVEL = new Set(['work_pools', 'work_pool_queues', 'flow_runs', 'sort', 'limit', 'offset']);
const EVALUATED_FLOW_RUN_KEYS = new Set(['id', 'deployment_id', 'state', 'next_scheduled_start_time', 'expected_start_time', 'end_time']);

/**
 * FlowRunFilter keys a server does not know. `end_time` arrived in 3.0.4 (PR #15502;
 * 3.0.4:src/prefect/server/schemas/filters.py:427-454, :601, absent from 3.0.3:...:544-586 and
 * 2.20.25:...:534-576); `not_any_` on state type and name exists only in 3.x
 * (3.0.0:src/prefect/server/schemas/filters.py:326-363).
 */
export function unknownFilterKeys(version: ServerVersion, body: FlowRunsBody): string[][] {
  const unknown: string[][] = [];
  const flowRuns = (body.flow_runs ?? {}) as Record<string, unknown>;
  if (version !== '3.6.28' && flowRuns.end_time != null) unknown.push(['body', 'flow_runs', 'end_time']);
  if (version === '2.20.25') {
    for (const field of ['type', 'name']) {
      if ((flowRuns.state as Record<string, Record<string, unknown>> | undefined)?.[field]?.not_any_ != null) unknown.push(['body', 'flow_runs', 'state', field, 'not_any_']);
    }
  }
  return unknown;
}

/**
 * The 422 body Prefect's own handler sends (not FastAPI's `{"detail": ...}`), in both majors:
 * 3.6.28:src/prefect/server/api/server.py:199-212 (pydantic 2: type "extra_forbidden") and
 * 2.20.25:src/prefect/server/api/server.py:138-149 (pydantic.v1: "value_error.extra").
 */
export function extraKeysRejected(version: ServerVersion, locs: string[][], body: unknown) {
  const detail = locs.map((loc) =>
    version === '2.20.25'
      ? { loc, msg: 'extra fields not permitted', type: 'value_error.extra' }
      : { type: 'extra_forbidden', loc, msg: 'Extra inputs are not permitted', input: null },
  );
  return { exception_message: 'Invalid request received.', exception_detail: detail, request_body: body };
}

/** Throws on a key the stand-in does not evaluate (a test error, answered 500). */
function assertEvaluated(body: FlowRunsBody): void {
  const top = Object.keys(body ?? {}).filter((k) => !EVALUATED_TOP_LEVEL.has(k) && (body as Record<string, unknown>)[k] != null);
  const nested = Object.keys(body?.flow_runs ?? {}).filter((k) => !EVALUATED_FLOW_RUN_KEYS.has(k));
  if (top.length + nested.length > 0) throw new Error(`filter keys the stand-in does not evaluate: ${[...top, ...nested].join(', ')}`);
}

const within = (value: string | undefined, range: Range | undefined) =>
  !range ||
  (value !== undefined &&
    (range.before_ === undefined || Date.parse(value) <= Date.parse(range.before_)) &&
    (range.after_ === undefined || Date.parse(value) >= Date.parse(range.after_)));

export function matchingRuns(runs: readonly StandInFlowRun[], body: FlowRunsBody): StandInFlowRun[] {
  assertEvaluated(body);
  const pools = body.work_pools?.name?.any_;
  const queues = body.work_pool_queues?.name?.any_;
  const f = body.flow_runs ?? {};
  return runs.filter(
    (run) =>
      (!pools || pools.includes(run.work_pool_name)) &&
      (!queues || queues.includes(run.work_queue_name)) &&
      // FlowRunFilterId any_/not_any_ (3.6.28:src/prefect/server/schemas/filters.py:229-247), FlowRunFilterDeploymentId any_ (:320-340).
      (!f.id?.any_ || f.id.any_.includes(run.id)) &&
      (!f.id?.not_any_ || !f.id.not_any_.includes(run.id)) &&
      (!f.deployment_id?.any_ || f.deployment_id.any_.includes(run.deployment_id ?? '')) &&
      (!f.state?.type?.any_ || f.state.type.any_.includes(run.state_type)) &&
      (!f.state?.name?.any_ || f.state.name.any_.includes(run.state_name ?? '')) &&
      within(run.next_scheduled_start_time, f.next_scheduled_start_time) &&
      within(run.expected_start_time, f.expected_start_time) &&
      within(run.end_time, f.end_time),
  );
}

const SORT_KEYS: Record<string, [keyof StandInFlowRun, 1 | -1]> = {
  NEXT_SCHEDULED_START_TIME_ASC: ['next_scheduled_start_time', 1],
  EXPECTED_START_TIME_ASC: ['expected_start_time', 1],
  EXPECTED_START_TIME_DESC: ['expected_start_time', -1],
};

/** `/flow_runs/filter`: sorted (the sorts the Lambdas use), then offset and limit (default 200). */
export function listRuns(runs: readonly StandInFlowRun[], body: FlowRunsBody): StandInFlowRun[] {
  const sort = SORT_KEYS[body.sort ?? ''];
  if (body.sort !== undefined && !sort) throw new Error(`sort ${body.sort} is not evaluated by the stand-in`);
  const matched = matchingRuns(runs, body);
  if (sort) {
    const [key, direction] = sort;
    const time = (run: StandInFlowRun) => Date.parse(String(run[key] ?? '')) || 0;
    matched.sort((a, b) => direction * (time(a) - time(b)));
  }
  return matched.slice(body.offset ?? 0, (body.offset ?? 0) + (body.limit ?? 200));
}

/** A run as the server's FlowRunResponse shows it (the fields the Lambdas read). */
export function flowRunResponse(run: StandInFlowRun) {
  return {
    id: run.id,
    flow_id: '00000000-0000-4000-8000-00000000f10e',
    created: null,
    updated: null,
    work_pool_name: run.work_pool_name,
    work_queue_name: run.work_queue_name,
    state_type: run.state_type,
    state_name: run.state_name ?? defaultName(run.state_type),
    next_scheduled_start_time: run.next_scheduled_start_time ?? null,
    expected_start_time: run.expected_start_time ?? null,
    end_time: run.end_time ?? null,
    infrastructure_pid: run.infrastructure_pid ?? null,
    labels: run.labels ?? {},
    empirical_policy: { retry_type: run.retry_type ?? null },
    deployment_id: run.deployment_id ?? null,
    state: {
      id: run.state_id ?? `${run.id}-state`,
      type: run.state_type,
      name: run.state_name ?? defaultName(run.state_type),
      timestamp: run.state_timestamp ?? '2026-11-21T11:00:00.000Z',
      message: run.state_message ?? null,
      state_details: { transition_id: run.transition_id ?? null },
    },
  };
}

export const defaultName = (type: StateType) => type.charAt(0) + type.slice(1).toLowerCase();
