/**
 * The scaling policy: a pure function from what the work pool needs to the worker count.
 *
 * - Demand is every run due within the look-ahead (SCHEDULED, Late and AwaitingRetry included),
 *   PENDING, RUNNING or CANCELLING. Each worker takes `runsPerWorker` of them (`--limit`).
 * - Scale out at once to cover demand; never below 1 while there is any demand.
 * - Scale in only to what the visible demand needs, and only once no run has ended within the
 *   idle grace: demand already visible within the look-ahead keeps its worker, so there is no
 *   flapping between a run ending and the next one becoming due.
 * - When demand cannot be read, keep the current count: never scale in blind.
 * - Always within [minWorkers, maxWorkers].
 */
export interface ScalingSettings {
  readonly minWorkers: number;
  readonly maxWorkers: number;
  readonly runsPerWorker: number;
  readonly lookaheadSeconds: number;
  readonly idleGraceSeconds: number;
}

export interface Demand {
  /** SCHEDULED runs (Late, AwaitingRetry included) due within the look-ahead. */
  readonly dueSoon: number;
  readonly pending: number;
  readonly running: number;
  readonly cancelling: number;
  /** Whether any run of the pool reached a terminal state within the idle grace. */
  readonly endedWithinGrace: boolean;
}

export type DecisionReason = 'scale-out' | 'scale-in' | 'steady' | 'idle-grace' | 'demand-unreadable';

export interface Decision {
  readonly desired: number;
  readonly reason: DecisionReason;
  /** Workers the visible demand needs (before bounds); undefined when demand is unreadable. */
  readonly needed?: number;
}

export const activeRuns = (d: Demand) => d.dueSoon + d.pending + d.running + d.cancelling;

export const clamp = (value: number, s: ScalingSettings) => Math.min(s.maxWorkers, Math.max(s.minWorkers, value));

export function workersNeeded(demand: Demand, settings: ScalingSettings): number {
  return Math.ceil(activeRuns(demand) / settings.runsPerWorker);
}

export function decideDesiredCount(current: number, demand: Demand | undefined, settings: ScalingSettings): Decision {
  if (demand === undefined) return { desired: clamp(current, settings), reason: 'demand-unreadable' };
  const needed = workersNeeded(demand, settings);
  const target = clamp(needed, settings);
  if (target > current) return { desired: target, reason: 'scale-out', needed };
  if (target === current) return { desired: target, reason: 'steady', needed };
  const held = clamp(current, settings);
  if (demand.endedWithinGrace && held > target) return { desired: held, reason: 'idle-grace', needed };
  return { desired: target, reason: 'scale-in', needed };
}
