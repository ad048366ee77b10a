/**
 * Reads the work pool's demand from Prefect: the pool and its queues, then `POST /flow_runs/count`
 * (and `/flow_runs/filter` where a count cannot see the field) per kind of run. Never the
 * worker-only polling endpoints, which would mark the pool as polled and ready with no worker.
 *
 * The reads are separate requests, so a run can change state between two of them. They go in
 * lifecycle order, one group after the other (SCHEDULED, then PENDING, then RUNNING): a run that
 * moves forward between two groups is counted at least once, never in neither. Reads within a
 * group run in parallel: they count different states or queues. A run moving backwards
 * (RUNNING -> AwaitingRetry) can still be missed; evaluate.ts reads again before it scales to 0.
 */
import { PrefectResponseError } from '../../common/errors';
import { expectData, type PrefectClient } from '../../common/prefect/client';
import { liveKeys, type ServerKnowledge, type ScalerMemory } from '../memory';
import type { Demand } from '../policy';
import { SUBMISSION_DONE_SECONDS } from '../prefectWorker';
import { readPeakAhead } from './ahead';
import { countBody, demandFilters, listBody, type CountBody } from './bodies';
import { LIST_LIMIT, leftOutIn, readLeftOutDue, type LeftOutDue } from './leftOut';
import { listRuns } from './listed';
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
  /** StuckPendingSeconds: an in-process retry this long past its time has lost its container. */
  readonly stuckAfterSeconds: number;
}

/** Requests of one group in flight at once (a pool may have many limited queues). */
const PARALLEL = 6;

async function inParallel<T>(tasks: readonly (() => Promise<T>)[], limit = PARALLEL): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

async function countRuns(prefect: PrefectClient, body: CountBody): Promise<number> {
  const value = await expectData<unknown>('/flow_runs/count', () => prefect.POST('/flow_runs/count', { body }));
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new PrefectResponseError('/flow_runs/count', `expected a non-negative integer, got ${JSON.stringify(value)?.slice(0, 80)}`);
  }
  return value;
}

const NO_LEFT_OUT: LeftOutDue = { perQueue: new Map(), total: 0, now: 0, soon: 0, orphanedRetries: 0, zeroLimit: 0 };

export async function readDemand(prefect: PrefectClient, q: DemandQuery, memory: ScalerMemory = {}): Promise<Demand> {
  const pool = await readPoolState(prefect, q.workPool);
  const scope = queueScope(pool, q.workQueues);
  const count = (queues: readonly string[] | undefined, filter: CountBody['flow_runs']) => () => countRuns(prefect, countBody(q.workPool, queues, filter ?? {}));
  const stackQueues = q.workQueues.length > 0 ? q.workQueues : undefined;
  const takeable = [...scope.open, ...scope.limited.map((queue) => queue.name)];
  const due = demandFilters.dueWithin(q.now, q.lookaheadSeconds);
  const at = q.now.getTime();
  const stuck = liveKeys(memory.stuckRuns, at);
  const zero = () => Promise.resolve(0);

  // SCHEDULED: due runs per kind of queue, those the next poll returns, the queues' used slots,
  // and the due runs no worker will move.
  const somethingBlocks = pool.paused || scope.open.length < scope.polled.length || pool.concurrencyLimit !== null;
  const some = takeable.length > 0;
  const [[openDue, polledDue, dueNowAll, dueSoonAll, awaitingNow, awaitingSoon, poolUsed], limitedDue, queueUsed, left] = await Promise.all([
    inParallel([
      scope.open.length > 0 ? count(scope.open, due) : zero,
      somethingBlocks && scope.polled.length > 0 ? count(scope.polled, due) : zero,
      some ? count(takeable, demandFilters.dueNow(q.now)) : zero,
      some ? count(takeable, demandFilters.dueSoon(q.now)) : zero,
      some ? count(takeable, demandFilters.awaitingSlotNow(q.now)) : zero,
      some ? count(takeable, demandFilters.awaitingSlotSoon(q.now)) : zero,
      pool.concurrencyLimit !== null && some ? count(scope.countTowardPool, demandFilters.occupyingSlots()) : zero,
    ]),
    inParallel(scope.limited.map((queue) => count([queue.name], due))),
    inParallel(scope.limited.map((queue) => count([queue.name], demandFilters.occupyingSlots()))),
    some
      ? readLeftOutDue(prefect, {
          workPool: q.workPool,
          queues: takeable,
          now: q.now,
          lookaheadSeconds: q.lookaheadSeconds,
          stuckAfterSeconds: q.stuckAfterSeconds,
          zeroLimitDeployments: liveKeys(memory.zeroLimitDeployments, at),
        })
      : Promise.resolve(NO_LEFT_OUT),
  ]);

  // Concurrency limits cap what the worker's query can return (PENDING + RUNNING use the slots).
  let takeableDue = scope.open.length > 0 ? Math.max(0, openDue! - leftOutIn(left, scope.open)) : 0;
  for (const [i, queue] of scope.limited.entries()) {
    const waiting = Math.max(0, limitedDue[i]! - leftOutIn(left, [queue.name]));
    takeableDue += Math.min(waiting, Math.max(0, queue.concurrencyLimit! - queueUsed[i]!));
  }
  if (pool.concurrencyLimit !== null) takeableDue = Math.min(takeableDue, Math.max(0, pool.concurrencyLimit - poolUsed!));
  const dueNow = Math.min(Math.max(0, dueNowAll! - left.now), takeableDue);
  const uncapped = (scope.open.length > 0 ? openDue! : 0) + limitedDue.reduce((a, b) => a + b, 0) - left.total;
  const later = Math.max(0, uncapped - dueNow);
  const enough = q.maxWorkers * q.submissionsPerWorker + 1;
  const peakAhead =
    later > q.submissionsPerWorker ? await readPeakAhead(prefect, { workPool: q.workPool, queues: takeable, now: q.now, lookaheadSeconds: q.lookaheadSeconds, enough }) : later;

  // PENDING, then RUNNING and CANCELLING, of the stack's queues.
  const [pending, submittingRuns] = await Promise.all([
    count(stackQueues, demandFilters.pending(stuck))(),
    listRuns(prefect, listBody(q.workPool, stackQueues, demandFilters.submitting(), 'EXPECTED_START_TIME_DESC', LIST_LIMIT)),
  ]);
  const stuckSet = new Set(stuck);
  const submitting = submittingRuns.filter((run) => !run.pid && !stuckSet.has(run.id) && run.since > at - SUBMISSION_DONE_SECONDS * 1000).length;
  const [running, cancelling] = await inParallel([count(stackQueues, demandFilters.running(stuck)), count(stackQueues, demandFilters.cancelling())]);

  const demand: Demand = {
    due: takeableDue,
    dueNow,
    awaitingSlot: Math.min(awaitingNow!, dueNow),
    dueSoon: Math.min(Math.max(0, dueSoonAll! - left.soon - awaitingSoon!), takeableDue),
    peakAhead: Math.min(peakAhead, takeableDue),
    untakeable: Math.max(0, (somethingBlocks ? polledDue! : openDue!) - takeableDue - left.total),
    pending,
    submitting: Math.min(submitting, pending),
    running: running!,
    cancelling: cancelling!,
    ignored: { 'in-process-retry': left.orphanedRetries, 'zero-limit-deployment': left.zeroLimit, stuck: stuck.length },
  };
  const idle = takeableDue + pending + running! === 0;
  if (!idle || !q.mayScaleToZero || q.idleGraceSeconds === 0 || memory.endTimeUnsupported) return demand;
  return { ...demand, endedWithinGrace: await endedWithinGrace(count, stackQueues, q, memory) };
}

/**
 * Whether a run ended within the idle grace: `flow_runs.end_time` exists from Prefect 3.0.4
 * (3.0.4:src/prefect/server/schemas/filters.py:427-454, :601). An older server answers 422; the
 * grace then does not apply (the answer is undefined) and the server is not asked again.
 */
async function endedWithinGrace(
  count: (queues: readonly string[] | undefined, filter: CountBody['flow_runs']) => () => Promise<number>,
  queues: readonly string[] | undefined,
  q: DemandQuery,
  known: ServerKnowledge,
): Promise<boolean | undefined> {
  try {
    return (await count(queues, demandFilters.endedSince(q.now, q.idleGraceSeconds))()) > 0;
  } catch (error) {
    if (!rejectsFilterKey(error, 'end_time')) throw error;
    known.endTimeUnsupported = true;
    return undefined;
  }
}
