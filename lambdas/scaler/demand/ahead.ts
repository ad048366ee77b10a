/**
 * Scheduled runs due later within the look-ahead: how many share one prefetch window. A worker
 * takes at most `--limit` runs per poll and a poll returns runs due up to the prefetch window
 * ahead (./../prefectWorker.ts), so runs due at the same moment are all submitted before they are
 * due only if the fleet takes them in that one poll: ceil(peak / limit) workers.
 */
import { PrefectResponseError } from '../../common/errors';
import type { PrefectClient } from '../../common/prefect/client';
import { AWAITING_SLOT_STATE_NAME, WORKER_PREFETCH_SECONDS } from '../prefectWorker';
import { aheadListBody } from './bodies';
import { listRuns } from './listed';

/** The most times (seconds) that fall within any window of `windowSeconds` (half-open). */
export function peakWithinWindow(times: readonly number[], windowSeconds: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowSeconds) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

export interface AheadQuery {
  readonly workPool: string;
  readonly queues: readonly string[];
  readonly now: Date;
  readonly lookaheadSeconds: number;
  /** More runs than this in one window already need every worker: no need to list further. */
  readonly enough: number;
}

/** The largest number of runs due later within the look-ahead that share one prefetch window. */
export async function readPeakAhead(prefect: PrefectClient, q: AheadQuery): Promise<number> {
  const runs = await listRuns(prefect, aheadListBody(q.workPool, q.queues, q.now, q.lookaheadSeconds, Math.min(200, q.enough)));
  const times: number[] = [];
  for (const run of runs) {
    if (run.stateName === AWAITING_SLOT_STATE_NAME || run.retryType === 'in_process') continue;
    if (run.nextScheduledAt === undefined) throw new PrefectResponseError('/flow_runs/filter', 'a scheduled flow run without next_scheduled_start_time');
    times.push(run.nextScheduledAt / 1000);
  }
  return peakWithinWindow(times, WORKER_PREFETCH_SECONDS);
}
