/**
 * Flow runs that may be stuck in PENDING: a worker stopped between proposing PENDING and RunTask
 * leaves the run PENDING for good (PrefectHQ/prefect#20485, open; Prefect 3.6.28 has no service
 * that moves PENDING runs: 3.6.28:src/prefect/server/services/late_runs.py:66-85 touches only
 * SCHEDULED runs). A candidate is PENDING, without `infrastructure_pid` ("<cluster>::<taskArn>",
 * written after RunTask: prefect-aws-0.7.7:.../workers/ecs_worker.py:753-761,
 * 3.6.28:src/prefect/workers/base.py:1459-1470), and in that state for longer than the setting.
 */
import { PrefectResponseError } from '../../common/errors';
import { expectData, type PrefectClient } from '../../common/prefect/client';
import { iso, type ListBody } from '../demand/bodies';
import { WORKER_PREFETCH_SECONDS } from '../prefectWorker';

export interface StuckCandidate {
  readonly id: string;
  readonly stateId: string;
  readonly stateName: string;
  /** When the run entered its PENDING state. */
  readonly since: string;
}

/** Most runs examined per sweep; the rest wait for the next tick. */
export const MAX_CANDIDATES = 50;

/**
 * PENDING runs whose expected start is old enough to have been PENDING that long. The server sets
 * `expected_start_time` once, from the first state (3.6.28:src/prefect/server/orchestration/
 * global_policy.py:349-355), and a worker takes a run at most the prefetch window before it is
 * due, so a run PENDING since T has expected_start_time <= T + prefetch: this pre-filter keeps
 * every stuck run and leaves out the fresh ones of a burst. State timestamps are not filterable.
 */
export function candidateListBody(workPool: string, queues: readonly string[], now: Date, stuckAfterSeconds: number): ListBody {
  return {
    work_pools: { name: { any_: [workPool] } },
    ...(queues.length > 0 ? { work_pool_queues: { name: { any_: [...queues] } } } : {}),
    flow_runs: { state: { type: { any_: ['PENDING'] } }, expected_start_time: { before_: iso(now, WORKER_PREFETCH_SECONDS - stuckAfterSeconds) } },
    sort: 'EXPECTED_START_TIME_ASC',
    limit: MAX_CANDIDATES,
    offset: 0,
  };
}

/** Whether a flow run (as `GET /flow_runs/{id}` or `/flow_runs/filter` returns it) is stuck at `now`. */
export function asStuckCandidate(run: unknown, now: Date, stuckAfterSeconds: number): StuckCandidate | undefined {
  if (typeof run !== 'object' || run === null) return undefined;
  const r = run as Record<string, unknown>;
  const state = (r.state ?? {}) as Record<string, unknown>;
  if (typeof r.id !== 'string' || state.type !== 'PENDING' || typeof state.id !== 'string') return undefined;
  if (r.infrastructure_pid) return undefined;
  const since = Date.parse(String(state.timestamp));
  if (Number.isNaN(since) || since > now.getTime() - stuckAfterSeconds * 1000) return undefined;
  return { id: r.id, stateId: state.id, stateName: String(state.name ?? 'Pending'), since: new Date(since).toISOString() };
}

export async function findStuckCandidates(
  prefect: PrefectClient,
  q: { workPool: string; workQueues: readonly string[]; now: Date; stuckAfterSeconds: number },
): Promise<StuckCandidate[]> {
  const body = candidateListBody(q.workPool, q.workQueues, q.now, q.stuckAfterSeconds);
  const runs = await expectData<unknown>('/flow_runs/filter', () => prefect.POST('/flow_runs/filter', { body }));
  if (!Array.isArray(runs)) throw new PrefectResponseError('/flow_runs/filter', 'expected a list of flow runs');
  return runs.map((run) => asStuckCandidate(run, q.now, q.stuckAfterSeconds)).filter((c): c is StuckCandidate => c !== undefined);
}
