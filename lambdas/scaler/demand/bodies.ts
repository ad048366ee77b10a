/**
 * The filter bodies of the demand reads, built by pure functions so tests can check their exact
 * shape: the server silently ignores unknown top-level keys and would count every run
 * (2.20.25:src/prefect/_vendor/fastapi/dependencies/utils.py:758-775), while an unknown nested
 * key is a 422 (./unsupportedFilter.ts). Every key used here exists from Prefect 2.20 on, except
 * `flow_runs.end_time` (3.0.4+).
 */
import type { components } from '../../common/prefect/schema';
import { SCALE_IN_MARGIN_SECONDS } from '../policy';
import { AWAITING_SLOT_STATE_NAME, SLOT_OCCUPYING_STATES, SUBMITTING_STATE_NAMES, WORKER_PREFETCH_SECONDS } from '../prefectWorker';

export type CountBody = components['schemas']['Body_count_flow_runs_flow_runs_count_post'];
export type ListBody = components['schemas']['Body_read_flow_runs_flow_runs_filter_post'];
type StateType = components['schemas']['StateType'];
type FlowRunFilter = NonNullable<components['schemas']['FlowRunFilter']>;

const TERMINAL: StateType[] = ['COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED'];

export const iso = (date: Date, offsetSeconds: number) => new Date(date.getTime() + offsetSeconds * 1000).toISOString();

/** Runs of the pool, in these queues (`undefined`: every queue of the pool). */
export function countBody(workPool: string, queues: readonly string[] | undefined, flowRuns: FlowRunFilter): CountBody {
  return {
    work_pools: { name: { any_: [workPool] } },
    ...(queues ? { work_pool_queues: { name: { any_: [...queues] } } } : {}),
    flow_runs: flowRuns,
  };
}

const byType = (types: readonly StateType[], extra: FlowRunFilter = {}): FlowRunFilter => ({ state: { type: { any_: [...types] } }, ...extra });
/** Leaves out the runs the sweep found nothing moves (memory.ts); `id.not_any_` exists from 3.0.0 (3.0.0:src/prefect/server/schemas/filters.py:199-216). */
const except = (ids: readonly string[]): FlowRunFilter => (ids.length > 0 ? { id: { not_any_: [...ids] } } : {});
const awaitingSlotWithin = (now: Date, seconds: number): FlowRunFilter => ({
  state: { type: { any_: ['SCHEDULED' as StateType] }, name: { any_: [AWAITING_SLOT_STATE_NAME] } },
  next_scheduled_start_time: { before_: iso(now, seconds) },
});

/** Seconds ahead a worker about to be stopped could still take a run: the prefetch plus the scale-in margin. */
export const SOON_SECONDS = WORKER_PREFETCH_SECONDS + SCALE_IN_MARGIN_SECONDS;

/** The flow-run filters of each kind of demand; `now` is the evaluation time. */
export const demandFilters = {
  /** SCHEDULED (Scheduled, Late, AwaitingRetry ... by name) due within `seconds`; no lower bound keeps Late runs in. */
  dueWithin: (now: Date, seconds: number) => byType(['SCHEDULED'], { next_scheduled_start_time: { before_: iso(now, seconds) } }),
  /** What the worker's next poll returns: due within the prefetch window (base.py:1341-1353). */
  dueNow: (now: Date) => demandFilters.dueWithin(now, WORKER_PREFETCH_SECONDS),
  dueSoon: (now: Date) => demandFilters.dueWithin(now, SOON_SECONDS),
  awaitingSlotNow: (now: Date) => awaitingSlotWithin(now, WORKER_PREFETCH_SECONDS),
  awaitingSlotSoon: (now: Date) => awaitingSlotWithin(now, SOON_SECONDS),
  /** Due runs in a retry: the in-process ones among them are no worker's (read.ts checks `empirical_policy`). */
  retryingWithin: (now: Date, seconds: number): FlowRunFilter => ({
    state: { type: { any_: ['SCHEDULED' as StateType] }, name: { any_: ['AwaitingRetry'] } },
    next_scheduled_start_time: { before_: iso(now, seconds) },
  }),
  /** Due runs of the given deployments (those with a concurrency limit of 0). */
  dueOfDeployments: (now: Date, seconds: number, deploymentIds: readonly string[]) =>
    byType(['SCHEDULED'], { next_scheduled_start_time: { before_: iso(now, seconds) }, deployment_id: { any_: [...deploymentIds] } }),
  occupyingSlots: () => byType(SLOT_OCCUPYING_STATES),
  pending: (left: readonly string[] = []) => byType(['PENDING'], except(left)),
  submitting: () => ({ state: { type: { any_: ['PENDING' as StateType] }, name: { any_: [...SUBMITTING_STATE_NAMES] } } }),
  running: (left: readonly string[] = []) => byType(['RUNNING'], except(left)),
  cancelling: () => byType(['CANCELLING']),
  endedSince: (now: Date, seconds: number) => byType(TERMINAL, { end_time: { after_: iso(now, -seconds) } }),
};

/** A `/flow_runs/filter` body over the pool's runs in these queues (`undefined`: every queue). */
export function listBody(workPool: string, queues: readonly string[] | undefined, flowRuns: FlowRunFilter, sort: ListBody['sort'], limit: number, offset = 0): ListBody {
  return { ...countBody(workPool, queues, flowRuns), sort, limit, offset };
}

/**
 * The earliest runs due after the next poll and within the look-ahead, to see how many share a
 * prefetch window. Sorted by due time; `limit` bounds the answer.
 */
export function aheadListBody(workPool: string, queues: readonly string[], now: Date, lookaheadSeconds: number, limit: number): ListBody {
  return {
    work_pools: { name: { any_: [workPool] } },
    work_pool_queues: { name: { any_: [...queues] } },
    flow_runs: byType(['SCHEDULED'], { next_scheduled_start_time: { after_: iso(now, WORKER_PREFETCH_SECONDS), before_: iso(now, lookaheadSeconds) } }),
    sort: 'NEXT_SCHEDULED_START_TIME_ASC',
    limit,
    offset: 0,
  };
}
