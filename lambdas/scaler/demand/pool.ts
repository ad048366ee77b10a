/**
 * The work pool and its queues as the worker's scheduling query sees them: which queues can hand
 * out runs, and their concurrency limits. Read with `GET /work_pools/{name}` and
 * `POST /work_pools/{name}/queues/filter`, plain reads that mark nothing as polled (unlike
 * `get_scheduled_flow_runs`, which locks rows and sets `last_polled`:
 * 3.6.28:src/prefect/server/api/workers.py:487-561 against :213-249 and :653-691).
 *
 * Which runs the worker's query returns (3.6.28:src/prefect/server/database/sql/postgres/
 * get-runs-from-worker-queues.sql.jinja:1-114): none from a paused pool (`wp.is_paused IS FALSE`,
 * :100-101) or a paused queue (:84); per queue at most `concurrency_limit` minus its PENDING and
 * RUNNING runs (:19-33), and per pool at most its limit minus the PENDING and RUNNING runs of its
 * queues that are not paused (:1-17). A pool's `status` NOT_READY only means no worker is online
 * (3.6.28:src/prefect/server/services/foreman.py:111-143) and is ignored.
 */
import { PrefectResponseError } from '../../common/errors';
import { expectData, type PrefectClient } from '../../common/prefect/client';

export interface QueueState {
  readonly name: string;
  readonly paused: boolean;
  /** null: no limit. */
  readonly concurrencyLimit: number | null;
}

export interface PoolState {
  readonly paused: boolean;
  readonly concurrencyLimit: number | null;
  readonly queues: readonly QueueState[];
}

/** The queues the stack's workers poll, split by what limits them. */
export interface QueueScope {
  /** Every queue the workers poll, paused or not. */
  readonly polled: readonly string[];
  /** Polled, not paused, no queue limit. */
  readonly open: readonly string[];
  /** Polled, not paused, with a queue limit. */
  readonly limited: readonly QueueState[];
  /** Queues of the pool that count toward its limit (not paused, polled or not). */
  readonly countTowardPool: readonly string[];
}

const QUEUE_PAGE = 200;
const MAX_QUEUE_PAGES = 10;

const limitOf = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null);

export async function readPoolState(prefect: PrefectClient, workPool: string): Promise<PoolState> {
  const params = { path: { name: workPool } };
  const path = `/work_pools/${workPool}`;
  const [pool, queues] = await Promise.all([
    expectData<unknown>(path, () => prefect.GET('/work_pools/{name}', { params })),
    readQueues(prefect, workPool),
  ]);
  if (typeof pool !== 'object' || pool === null) throw new PrefectResponseError(path, 'expected a work pool object');
  const p = pool as Record<string, unknown>;
  return { paused: p.is_paused === true || p.status === 'PAUSED', concurrencyLimit: limitOf(p.concurrency_limit), queues };
}

async function readQueues(prefect: PrefectClient, workPool: string): Promise<QueueState[]> {
  const path = `/work_pools/${workPool}/queues/filter`;
  const queues: QueueState[] = [];
  for (let page = 0; page < MAX_QUEUE_PAGES; page++) {
    const answer = await expectData<unknown>(path, () =>
      prefect.POST('/work_pools/{work_pool_name}/queues/filter', {
        params: { path: { work_pool_name: workPool } },
        body: { offset: page * QUEUE_PAGE, limit: QUEUE_PAGE },
      }),
    );
    if (!Array.isArray(answer)) throw new PrefectResponseError(path, 'expected a list of work queues');
    for (const q of answer as Record<string, unknown>[]) {
      if (typeof q?.name !== 'string') throw new PrefectResponseError(path, 'a work queue without a name');
      queues.push({ name: q.name, paused: q.is_paused === true, concurrencyLimit: limitOf(q.concurrency_limit) });
    }
    if (answer.length < QUEUE_PAGE) break;
  }
  return queues;
}

/**
 * The queues the workers poll: the stack's WorkQueues (`--work-queue`), or every queue of the
 * pool. Nothing is open in a paused pool.
 */
export function queueScope(pool: PoolState, configured: readonly string[]): QueueScope {
  const polled = configured.length > 0 ? pool.queues.filter((q) => configured.includes(q.name)) : pool.queues;
  const takeable = pool.paused ? [] : polled.filter((q) => !q.paused);
  return {
    polled: polled.map((q) => q.name),
    open: takeable.filter((q) => q.concurrencyLimit === null).map((q) => q.name),
    limited: takeable.filter((q) => q.concurrencyLimit !== null),
    countTowardPool: pool.queues.filter((q) => !q.paused).map((q) => q.name),
  };
}
