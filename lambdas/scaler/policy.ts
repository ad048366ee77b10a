/**
 * The scaling policy: a pure function from what the work pool needs to the worker count, on the
 * semantics of the worker this stack runs (./prefectWorker.ts): `--limit` bounds concurrent
 * submissions, a RUNNING flow run holds no slot, and a worker takes at most `--limit` runs per
 * poll (3.6.28:src/prefect/workers/base.py:1373-1387).
 *
 * - One worker while any run is due within the look-ahead (and takeable), pending, running or
 *   cancelling: its ECS observer watches the flow-run tasks.
 * - More only for submissions: runs already due (plus those being submitted) beyond one poll's
 *   worth for the fleet, and runs due later that share one prefetch window, which the fleet must
 *   take in one poll to submit them before they are due. One poll, not one tick: a backlog
 *   means runs arrive faster than the fleet takes them, and a burst of ad-hoc runs arrives over
 *   a minute, so waiting a tick to see whether one worker catches up makes the whole burst wait
 *   a worker start longer (bench:scaling, spike-200 with the webhook: p95 84 s instead of 68 s).
 *   A worker added for nothing costs one start and is removed once the backlog is gone.
 * - Scale out at once. Never scale in while a submission backlog remains: ECS may stop the
 *   worker that holds a submission (SIGTERM is turned into SIGINT for the worker,
 *   3.6.28:src/prefect/utilities/processutils/__init__.py:547-564), which strands its run in
 *   PENDING (PrefectHQ/prefect#20485).
 * - The idle grace keeps one worker (not the extra ones) after a run ended.
 * - When demand cannot be read, keep the current count: never scale in blind.
 * - Always within [minWorkers, maxWorkers].
 */

/** The scaler's schedule: one evaluation a minute (the template's `rate(1 minute)`). */
export const SCALER_TICK_SECONDS = 60;

export interface ScalingSettings {
  readonly minWorkers: number;
  readonly maxWorkers: number;
  /** Concurrent submissions of one worker: `prefect worker start --limit`. */
  readonly submissionsPerWorker: number;
  readonly lookaheadSeconds: number;
  readonly idleGraceSeconds: number;
}

export interface Demand {
  /** SCHEDULED runs a worker can take (pool and queue not paused, within their concurrency limits) due within the look-ahead. */
  readonly due: number;
  /** Of `due`, those the next poll returns (due within the prefetch window). */
  readonly dueNow: number;
  /** Of `dueNow`, runs a deployment concurrency limit bounced (AwaitingConcurrencySlot): one worker retries them, more do not help. */
  readonly awaitingSlot: number;
  /** The most runs due later that fall within one prefetch window (0 when one worker takes them all). */
  readonly peakAhead: number;
  /** Due runs no worker can take: paused pool or queue, or beyond a pool or queue concurrency limit. Never scaled for. */
  readonly untakeable: number;
  readonly pending: number;
  /** Of `pending`, runs a worker is still submitting (state names Pending and Submitting). */
  readonly submitting: number;
  readonly running: number;
  readonly cancelling: number;
  /** Whether a run ended within the idle grace; undefined when the server cannot say (Prefect < 3.0.4). */
  readonly endedWithinGrace?: boolean;
}

export type DecisionReason = 'scale-out' | 'scale-in' | 'steady' | 'idle-grace' | 'backlog' | 'demand-unreadable';

export interface Decision {
  readonly desired: number;
  readonly reason: DecisionReason;
  /** Workers the visible demand needs (before bounds); undefined when demand is unreadable. */
  readonly needed?: number;
  /** Runs to submit now: due by the next poll (minus AwaitingConcurrencySlot) plus those being submitted. */
  readonly backlog?: number;
}

/** Runs that need a worker up: takeable due ones and every run with a task or about to have one. */
export const activeRuns = (d: Demand) => d.due + d.pending + d.running + d.cancelling;

export const submissionBacklog = (d: Demand) => Math.max(0, d.dueNow - d.awaitingSlot) + d.submitting;

export const clamp = (value: number, s: ScalingSettings) => Math.min(s.maxWorkers, Math.max(s.minWorkers, value));

export function workersNeeded(demand: Demand, settings: ScalingSettings): number {
  if (activeRuns(demand) === 0) return 0;
  const perPoll = settings.submissionsPerWorker;
  return Math.max(1, Math.ceil(submissionBacklog(demand) / perPoll), Math.ceil(demand.peakAhead / perPoll));
}

export function decideDesiredCount(current: number, demand: Demand | undefined, settings: ScalingSettings): Decision {
  if (demand === undefined) return { desired: clamp(current, settings), reason: 'demand-unreadable' };
  const needed = workersNeeded(demand, settings);
  const backlog = submissionBacklog(demand);
  const target = clamp(needed, settings);
  const held = clamp(current, settings);
  const base = { needed, backlog };
  if (target > current) return { desired: target, reason: 'scale-out', ...base };
  if (target === current) return { desired: target, reason: 'steady', ...base };
  if (backlog > 0 && held > target) return { desired: held, reason: 'backlog', ...base };
  const graceFloor = demand.endedWithinGrace === true ? Math.min(held, 1) : 0;
  if (graceFloor > target) return { desired: graceFloor, reason: 'idle-grace', ...base };
  return { desired: target, reason: 'scale-in', ...base };
}
