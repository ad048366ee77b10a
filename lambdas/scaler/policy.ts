/**
 * The scaling policy: a pure function from what the work pool needs to the worker count, on the
 * semantics of the worker this stack runs (./prefectWorker.ts): `--limit` bounds concurrent
 * submissions, a RUNNING flow run holds no slot, and a worker takes at most `--limit` runs per
 * poll (3.6.28:src/prefect/workers/base.py:1373-1387).
 *
 * - One worker while any run is due within the look-ahead (and takeable), pending or running:
 *   its ECS observer watches the flow-run tasks. Not for CANCELLING runs, nor for runs nothing
 *   will move (demand/read.ts leaves them out and counts them as `ignored`): a worker does
 *   nothing for them (./prefectWorker.ts), so they would keep one up for nothing, forever.
 * - More only for submissions: runs already due (plus those being submitted) beyond one poll's
 *   worth for the fleet, and runs due later that share one prefetch window, which the fleet must
 *   take in one poll to submit them before they are due. Requirement 1 of issue 10 says "a
 *   backlog the fleet cannot submit within a tick"; a poll is the reading used here, because a
 *   backlog means runs arrive faster than the fleet takes them and a burst of ad-hoc runs arrives
 *   over a minute, so waiting a tick to see whether one worker catches up makes the whole burst
 *   wait a worker start longer. README "Why per poll" has the figures (bench:scaling prints both
 *   rules side by side).
 * - Scale out at once. Never scale in while a submission backlog remains or a takeable run is due
 *   within the prefetch window plus SCALE_IN_MARGIN_SECONDS: between this read and ECS stopping a
 *   worker (SIGTERM is turned into SIGINT for the worker, 3.6.28:src/prefect/utilities/
 *   processutils/__init__.py:547-564) that worker may take such a run and be stopped holding it,
 *   which strands the run in PENDING (PrefectHQ/prefect#20485).
 * - The idle grace keeps one worker (not the extra ones) after a run ended.
 * - When demand cannot be read, keep the current count: never scale in blind.
 * - Always within [minWorkers, maxWorkers].
 */

/** The scaler's schedule: one evaluation a minute (the template's `rate(1 minute)`). */
export const SCALER_TICK_SECONDS = 60;

/** From the demand read to ECS stopping a worker: the decision, UpdateService, ECS's SIGTERM. */
export const SCALE_IN_MARGIN_SECONDS = 20;

export interface ScalingSettings {
  readonly minWorkers: number;
  readonly maxWorkers: number;
  /** Concurrent submissions of one worker: `prefect worker start --limit`. */
  readonly submissionsPerWorker: number;
  readonly lookaheadSeconds: number;
  readonly idleGraceSeconds: number;
}

/** Why a run is left out of the demand: nothing a worker does will move it (demand/read.ts, stuck/). */
export type IgnoredReason = 'in-process-retry' | 'zero-limit-deployment' | 'stuck';

export interface Demand {
  /** SCHEDULED runs a worker can take (pool and queue not paused, within their concurrency limits) due within the look-ahead. */
  readonly due: number;
  /** Of `due`, those the next poll returns (due within the prefetch window). */
  readonly dueNow: number;
  /** Of `dueNow`, runs a deployment concurrency limit bounced (AwaitingConcurrencySlot): one worker retries them, more do not help. */
  readonly awaitingSlot: number;
  /** Of `due`, not bounced, due within the prefetch window plus SCALE_IN_MARGIN_SECONDS: a worker about to be stopped could take them. */
  readonly dueSoon: number;
  /** The most runs due later that fall within one prefetch window (0 when one worker takes them all). */
  readonly peakAhead: number;
  /** Due runs no worker can take: paused pool or queue, or beyond a pool or queue concurrency limit. Never scaled for. */
  readonly untakeable: number;
  /** PENDING runs, less the stuck ones left out. */
  readonly pending: number;
  /** Of `pending`, runs a worker is submitting now (Pending or Submitting, no task yet, younger than SUBMISSION_DONE_SECONDS). */
  readonly submitting: number;
  readonly running: number;
  /** Reported only: a CANCELLING run needs no worker (./prefectWorker.ts). */
  readonly cancelling: number;
  /** Runs left out because nothing a worker does moves them, by reason (never scaled for; reported). */
  readonly ignored: Readonly<Partial<Record<IgnoredReason, number>>>;
  /** Whether a run ended within the idle grace; undefined when the server cannot say (Prefect < 3.0.4). */
  readonly endedWithinGrace?: boolean;
}

/** 'unconfirmed': a scale to 0 the second reading had no time to confirm, so the count was kept. */
export type DecisionReason = 'scale-out' | 'scale-in' | 'steady' | 'idle-grace' | 'backlog' | 'demand-unreadable' | 'unconfirmed';

export interface Decision {
  readonly desired: number;
  readonly reason: DecisionReason;
  /** Workers the visible demand needs (before bounds); undefined when demand is unreadable. */
  readonly needed?: number;
  /** Runs to submit now: due by the next poll (minus AwaitingConcurrencySlot) plus those being submitted. */
  readonly backlog?: number;
}

/** Runs that need a worker up: takeable due ones and every run with a task or about to have one. */
export const activeRuns = (d: Demand) => d.due + d.pending + d.running;

export const submissionBacklog = (d: Demand) => Math.max(0, d.dueNow - d.awaitingSlot) + d.submitting;

export const ignoredRuns = (d: Demand) => Object.values(d.ignored).reduce((sum, n) => sum + (n ?? 0), 0);

export const clamp = (value: number, s: ScalingSettings) => Math.min(s.maxWorkers, Math.max(s.minWorkers, value));

/**
 * `backlogPolls`: how many polls of the fleet a backlog may take before more workers are added.
 * The scaler uses 1; bench:scaling also runs the reading of "within a tick" (tick / poll interval)
 * to show what it costs.
 */
export function workersNeeded(demand: Demand, settings: ScalingSettings, backlogPolls = 1): number {
  if (activeRuns(demand) === 0) return 0;
  const perPoll = settings.submissionsPerWorker;
  return Math.max(1, Math.ceil(submissionBacklog(demand) / (perPoll * backlogPolls)), Math.ceil(demand.peakAhead / perPoll));
}

export function decideDesiredCount(current: number, demand: Demand | undefined, settings: ScalingSettings, backlogPolls = 1): Decision {
  if (demand === undefined) return { desired: clamp(current, settings), reason: 'demand-unreadable' };
  const needed = workersNeeded(demand, settings, backlogPolls);
  const backlog = submissionBacklog(demand);
  const target = clamp(needed, settings);
  const held = clamp(current, settings);
  const base = { needed, backlog };
  if (target > current) return { desired: target, reason: 'scale-out', ...base };
  if (target === current) return { desired: target, reason: 'steady', ...base };
  if ((backlog > 0 || demand.dueSoon > 0) && held > target) return { desired: held, reason: 'backlog', ...base };
  const graceFloor = demand.endedWithinGrace === true ? Math.min(held, 1) : 0;
  if (graceFloor > target) return { desired: graceFloor, reason: 'idle-grace', ...base };
  return { desired: target, reason: 'scale-in', ...base };
}
