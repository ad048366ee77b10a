import { backoffDelayMs, nextDelayMs, resolveRetryPolicy, retryAfterMs } from '../../../lambdas/common/retry';

describe('retry timing', () => {
  const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 });

  it('backs off exponentially with full jitter, capped', () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelayMs(a, policy))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelayMs(3, resolveRetryPolicy({ baseDelayMs: 100, random: () => 0 }))).toBe(0);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('0.5', now)).toBe(500);
    expect(retryAfterMs('Sat, 21 Nov 2026 12:00:02 GMT', now)).toBe(2000);
    expect(retryAfterMs('Sat, 21 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('prefers the server Retry-After but never waits past the cap', () => {
    expect(nextDelayMs(0, policy, 300)).toBe(300);
    expect(nextDelayMs(0, policy, 60_000)).toBe(1000);
    expect(nextDelayMs(2, policy)).toBe(399);
  });
});
