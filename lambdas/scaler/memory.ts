/**
 * What the scaler keeps between invocations while its Lambda stays warm. Lost on a cold start,
 * which costs at most one tick's worth of knowledge: the next sweep finds the same runs again.
 */

export interface ServerKnowledge {
  /** The server answered 422 to `flow_runs.end_time` (Prefect < 3.0.4). */
  endTimeUnsupported?: boolean;
}

export interface ScalerMemory extends ServerKnowledge {
  /** Epoch ms (deps.now()) when the last evaluation started. */
  lastEvaluationStartedAt?: number;
  /**
   * Runs the stuck-run sweep found that nothing will move and left alone (flow-run id -> epoch ms
   * until which the finding holds): the demand leaves them out, so they keep no worker up.
   */
  stuckRuns?: Map<string, number>;
  /** Deployments whose concurrency limit is 0 (id -> epoch ms until which the finding holds). */
  zeroLimitDeployments?: Map<string, number>;
  /** Deployments read for that and found otherwise (not read again until then). */
  checkedDeployments?: Map<string, number>;
  /** Where the sweep's page through PENDING, RUNNING and CANCELLING runs goes on next tick. */
  sweepOffset?: number;
}

/** How long a finding of the sweep holds before the run or deployment must be found again. */
export const FINDING_TTL_MS = 30 * 60_000;
/** The most findings kept (they travel in every count as `id.not_any_`). */
export const MAX_FINDINGS = 200;

/** The keys of a finding map that still hold at `now`; expired ones are dropped. */
export function liveKeys(map: Map<string, number> | undefined, now: number): string[] {
  if (!map) return [];
  for (const [key, until] of map) if (until <= now) map.delete(key);
  return [...map.keys()];
}

/** Records findings, keeping the newest MAX_FINDINGS. */
export function remember(map: Map<string, number>, keys: Iterable<string>, now: number): void {
  for (const key of keys) {
    map.delete(key);
    map.set(key, now + FINDING_TTL_MS);
  }
  while (map.size > MAX_FINDINGS) map.delete(map.keys().next().value as string);
}
