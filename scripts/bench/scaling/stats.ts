/** Delay statistics: nearest-rank percentiles, 0 for an empty set. */
export interface DelayStats {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function delayStats(delays: readonly number[]): DelayStats {
  const sorted = [...delays].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.length ? sorted[sorted.length - 1]! : 0 };
}
