/**
 * Bounded retries with exponential backoff and full jitter, honouring a server's Retry-After.
 * Pure timing decisions (`backoffDelayMs`, `retryAfterMs`) are separate from the loop so they
 * can be tested without waiting.
 */
export interface RetryPolicy {
  /** Attempts in total, the first included. @default 4 */
  readonly attempts?: number;
  /** First backoff step in ms. @default 200 */
  readonly baseDelayMs?: number;
  /** Largest single wait in ms, Retry-After included. @default 5000 */
  readonly maxDelayMs?: number;
  /** Waits this long; injectable for tests. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform [0,1); injectable for tests. @default Math.random */
  readonly random?: () => number;
}

export type ResolvedRetryPolicy = Required<RetryPolicy>;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function resolveRetryPolicy(policy: RetryPolicy = {}): ResolvedRetryPolicy {
  return {
    attempts: policy.attempts ?? 4,
    baseDelayMs: policy.baseDelayMs ?? 200,
    maxDelayMs: policy.maxDelayMs ?? 5000,
    sleep: policy.sleep ?? sleep,
    random: policy.random ?? Math.random,
  };
}

/** Full jitter: uniform in [0, min(max, base * 2^attempt)). `attempt` counts from 0. */
export function backoffDelayMs(attempt: number, policy: ResolvedRetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(policy.random() * ceiling);
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait before the next attempt: the server's Retry-After if given, else backoff; capped. */
export function nextDelayMs(attempt: number, policy: ResolvedRetryPolicy, retryAfter?: number): number {
  return Math.min(policy.maxDelayMs, retryAfter ?? backoffDelayMs(attempt, policy));
}
