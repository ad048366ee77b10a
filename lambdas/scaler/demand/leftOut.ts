/**
 * Due runs no worker will move, so the demand leaves them out (they would keep a worker up, and
 * hold the extra ones, for ever):
 * - runs in an in-process retry (`AwaitingRetry` with `empirical_policy.retry_type ==
 *   "in_process"`): their own container retries them; the worker's query never returns them
 *   (3.6.28:src/prefect/server/database/sql/postgres/get-runs-from-worker-queues.sql.jinja:67-68)
 *   and the observer skips SCHEDULED runs (prefect-aws-0.7.7:.../observers/ecs.py:723-732). One
 *   still waiting long after its retry time has lost its container: it is reported as ignored.
 * - runs of a deployment whose concurrency limit is 0: the server aborts every PENDING proposal
 *   without renaming the run ("The deployment concurrency limit is 0. The flow will deadlock if
 *   submitted again.", 3.6.28:src/prefect/server/orchestration/core_policy.py:592-596), so it stays
 *   Scheduled/Late and due for good. The sweep finds such deployments (stuck/zeroLimit.ts).
 */
import type { PrefectClient } from '../../common/prefect/client';
import { WORKER_PREFETCH_SECONDS } from '../prefectWorker';
import { demandFilters, listBody, SOON_SECONDS } from './bodies';
import { listRuns, type ListedRun } from './listed';

/** A list answer holds at most this many runs (PREFECT_API_DEFAULT_LIMIT, 3.6.28:src/prefect/settings/models/server/api.py:40-48). */
export const LIST_LIMIT = 200;

export interface LeftOutDue {
  /** Left-out due runs per work queue. */
  readonly perQueue: ReadonlyMap<string, number>;
  readonly total: number;
  /** Of them, due within the prefetch window, and within SOON_SECONDS. */
  readonly now: number;
  readonly soon: number;
  /** In-process retries past their retry time by more than the stuck bound (their container is gone). */
  readonly orphanedRetries: number;
  /** Due runs of deployments whose concurrency limit is 0. */
  readonly zeroLimit: number;
}

export interface LeftOutQuery {
  readonly workPool: string;
  readonly queues: readonly string[];
  readonly now: Date;
  readonly lookaheadSeconds: number;
  readonly stuckAfterSeconds: number;
  readonly zeroLimitDeployments: readonly string[];
}

export async function readLeftOutDue(prefect: PrefectClient, q: LeftOutQuery): Promise<LeftOutDue> {
  const list = (filter: Parameters<typeof listBody>[2]) => listRuns(prefect, listBody(q.workPool, q.queues, filter, 'NEXT_SCHEDULED_START_TIME_ASC', LIST_LIMIT));
  const [retrying, zeroLimit] = await Promise.all([
    list(demandFilters.retryingWithin(q.now, q.lookaheadSeconds)),
    q.zeroLimitDeployments.length > 0 ? list(demandFilters.dueOfDeployments(q.now, q.lookaheadSeconds, q.zeroLimitDeployments)) : Promise.resolve([]),
  ]);
  const inProcess = retrying.filter((run) => run.retryType === 'in_process');
  const runs = new Map<string, ListedRun>([...inProcess, ...zeroLimit].map((run) => [run.id, run]));
  const at = q.now.getTime();
  const within = (seconds: number) => [...runs.values()].filter((run) => (run.nextScheduledAt ?? Number.POSITIVE_INFINITY) <= at + seconds * 1000).length;
  const perQueue = new Map<string, number>();
  for (const run of runs.values()) perQueue.set(run.queue ?? '', (perQueue.get(run.queue ?? '') ?? 0) + 1);
  return {
    perQueue,
    total: runs.size,
    now: within(WORKER_PREFETCH_SECONDS),
    soon: within(SOON_SECONDS),
    orphanedRetries: inProcess.filter((run) => (run.nextScheduledAt ?? at) < at - q.stuckAfterSeconds * 1000).length,
    zeroLimit: zeroLimit.length,
  };
}

/** Left-out runs of these queues. */
export const leftOutIn = (left: LeftOutDue, queues: readonly string[]) => queues.reduce((sum, queue) => sum + (left.perQueue.get(queue) ?? 0), 0);
