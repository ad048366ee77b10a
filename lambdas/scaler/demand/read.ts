/**
 * Reads the work pool's demand from Prefect: the pool and its queues, then `POST /flow_runs/count`
 * per kind of run. Never the worker-only polling endpoints, which would mark the pool as polled
 * and ready with no worker running.
 *
 * The counts are separate requests, so a run can change state between two of them. They are read
 * one after another in lifecycle order (SCHEDULED, then PENDING, RUNNING, CANCELLING): a run that
 * moves forward between two reads is counted at least once, never in neither. A run moving
 * backwards (RUNNING -> AwaitingRetry) can still be missed; evaluate.ts reads again before it
 * scales to 0.
 */
import { PrefectResponseError } from '../../common/errors';
import { expectData, type PrefectClient } from '../../common/prefect/client';
import type { Demand } from '../policy';
import { readPeakAhead } from './ahead';
import { countBody, demandFilters, type CountBody } from './bodies';
import { queueScope, readPoolState } from './pool';
import { rejectsFilterKey } from './unsupportedFilter';

export interface DemandQuery {
  readonly workPool: string;
  /** The stack's queues of the pool; empty means every queue. */
  readonly workQueues: readonly string[];
  readonly now: Date;
  readonly lookaheadSeconds: number;
  readonly idleGraceSeconds: number;
  /** Scale-to-zero is possible (minWorkers 0): only then is the idle grace read. */
  readonly mayScaleToZero: boolean;
  readonly submissionsPerWorker: number;
  readonly maxWorkers: number;
}

/** What the scaler learnt about the server, kept while the Lambda stays warm. */
export interface ServerKnowledge {
  /** The server answered 422 to `flow_runs.end_time` (Prefect < 3.0.4). */
  endTimeUnsupported?: boolean;
}

async function countRuns(prefect: PrefectClient, body: CountBody): Promise<number> {
  const value = await expectData<unknown>('/flow_runs/count', () => prefect.POST('/flow_runs/count', { body }));
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new PrefectResponseError('/flow_runs/count', `expected a non-negative integer, got ${JSON.stringify(value)?.slice(0, 80)}`);
  }
  return value;
}

export async function readDemand(prefect: PrefectClient, q: DemandQuery, known: ServerKnowledge = {}): Promise<Demand> {
  const pool = await readPoolState(prefect, q.workPool);
  const scope = queueScope(pool, q.workQueues);
  const count = (queues: readonly string[] | undefined, filter: CountBody['flow_runs']) => countRuns(prefect, countBody(q.workPool, queues, filter ?? {}));
  const stackQueues = q.workQueues.length > 0 ? q.workQueues : undefined;
  const takeable = [...scope.open, ...scope.limited.map((queue) => queue.name)];
  const due = demandFilters.dueWithin(q.now, q.lookaheadSeconds);

  // SCHEDULED: due runs per kind of queue, then the ones the next poll returns.
  const openDue = scope.open.length > 0 ? await count(scope.open, due) : 0;
  const limitedDue: number[] = [];
  for (const queue of scope.limited) limitedDue.push(await count([queue.name], due));
  const somethingBlocks = pool.paused || scope.open.length < scope.polled.length || pool.concurrencyLimit !== null;
  const polledDue = somethingBlocks && scope.polled.length > 0 ? await count(scope.polled, due) : openDue;
  const uncapped = openDue + limitedDue.reduce((a, b) => a + b, 0);
  const dueNow = uncapped > 0 ? await count(takeable, demandFilters.dueNow(q.now)) : 0;
  const awaitingSlot = dueNow > 0 ? await count(takeable, demandFilters.awaitingSlotNow(q.now)) : 0;
  const later = uncapped - Math.min(dueNow, uncapped);
  const enough = q.maxWorkers * q.submissionsPerWorker + 1;
  const peakAhead =
    later > q.submissionsPerWorker ? await readPeakAhead(prefect, { workPool: q.workPool, queues: takeable, now: q.now, lookaheadSeconds: q.lookaheadSeconds, enough }) : later;

  // Concurrency limits cap what the worker's query can return (PENDING + RUNNING use the slots).
  let takeableDue = scope.open.length > 0 ? openDue : 0;
  for (const [i, queue] of scope.limited.entries()) {
    const used = await count([queue.name], demandFilters.occupyingSlots());
    takeableDue += Math.min(limitedDue[i]!, Math.max(0, queue.concurrencyLimit! - used));
  }
  if (pool.concurrencyLimit !== null && takeableDue > 0) {
    const used = await count(scope.countTowardPool, demandFilters.occupyingSlots());
    takeableDue = Math.min(takeableDue, Math.max(0, pool.concurrencyLimit - used));
  }

  // PENDING, RUNNING, CANCELLING of the stack's queues, in lifecycle order.
  const pending = await count(stackQueues, demandFilters.pending());
  const submitting = pending > 0 ? await count(stackQueues, demandFilters.submitting()) : 0;
  const running = await count(stackQueues, demandFilters.running());
  const cancelling = await count(stackQueues, demandFilters.cancelling());

  const demand: Demand = {
    due: takeableDue,
    dueNow: Math.min(dueNow, takeableDue),
    awaitingSlot: Math.min(awaitingSlot, dueNow, takeableDue),
    peakAhead: Math.min(peakAhead, takeableDue),
    untakeable: Math.max(0, polledDue - takeableDue),
    pending,
    submitting: Math.min(submitting, pending),
    running,
    cancelling,
  };
  const idle = takeableDue + pending + running + cancelling === 0;
  if (!idle || !q.mayScaleToZero || q.idleGraceSeconds === 0 || known.endTimeUnsupported) return demand;
  return { ...demand, endedWithinGrace: await endedWithinGrace(count, stackQueues, q, known) };
}

/**
 * Whether a run ended within the idle grace: `flow_runs.end_time` exists from Prefect 3.0.4
 * (3.0.4:src/prefect/server/schemas/filters.py:427-454, :601). An older server answers 422; the
 * grace then does not apply (the answer is undefined) and the server is not asked again.
 */
async function endedWithinGrace(
  count: (queues: readonly string[] | undefined, filter: CountBody['flow_runs']) => Promise<number>,
  queues: readonly string[] | undefined,
  q: DemandQuery,
  known: ServerKnowledge,
): Promise<boolean | undefined> {
  try {
    return (await count(queues, demandFilters.endedSince(q.now, q.idleGraceSeconds))) > 0;
  } catch (error) {
    if (!rejectsFilterKey(error, 'end_time')) throw error;
    known.endTimeUnsupported = true;
    return undefined;
  }
}
