/**
 * The runs one sweep looks at, within a bounded number of requests:
 * - the newest runs PENDING named Pending or Submitting (where a worker that just died leaves
 *   them: found within a tick);
 * - one page of the pool's PENDING, RUNNING and CANCELLING runs, oldest expected start first, at
 *   an offset that moves on every tick and wraps around, so every run is looked at in turn and
 *   none starves the others (a page that only held healthy old runs would, at a fixed offset).
 * What makes one of them stuck is decided in ./classify.ts.
 */
import type { PrefectClient } from '../../common/prefect/client';
import type { components } from '../../common/prefect/schema';
import { listBody } from '../demand/bodies';
import { listRuns, type ListedRun } from '../demand/listed';
import type { ScalerMemory } from '../memory';
import { SUBMITTING_STATE_NAMES } from '../prefectWorker';

type StateType = components['schemas']['StateType'];

export const RECENT_LIMIT = 50;
export const PAGE_LIMIT = 100;

export interface SweepScope {
  readonly workPool: string;
  /** The stack's queues; empty: every queue of the pool. */
  readonly workQueues: readonly string[];
}

export async function readSweepRuns(prefect: PrefectClient, scope: SweepScope, memory: ScalerMemory): Promise<ListedRun[]> {
  const queues = scope.workQueues.length > 0 ? scope.workQueues : undefined;
  const offset = memory.sweepOffset ?? 0;
  const [recent, page] = await Promise.all([
    listRuns(
      prefect,
      listBody(scope.workPool, queues, { state: { type: { any_: ['PENDING'] }, name: { any_: [...SUBMITTING_STATE_NAMES] } } }, 'EXPECTED_START_TIME_DESC', RECENT_LIMIT),
    ),
    listRuns(prefect, listBody(scope.workPool, queues, { state: { type: { any_: ['PENDING', 'RUNNING', 'CANCELLING'] as StateType[] } } }, 'EXPECTED_START_TIME_ASC', PAGE_LIMIT, offset)),
  ]);
  memory.sweepOffset = page.length < PAGE_LIMIT ? 0 : offset + PAGE_LIMIT;
  return [...new Map([...recent, ...page].map((run) => [run.id, run])).values()];
}
