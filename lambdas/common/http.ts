/**
 * fetch with a timeout on every attempt, and bounded retries with backoff and jitter on
 * network errors, timeouts, 429 and 5xx (Retry-After honoured, capped). Other statuses are
 * returned at once: a 401 does not get better by asking again.
 */
import { NetworkError, errorMessage } from './errors';
import { nextDelayMs, resolveRetryPolicy, retryAfterMs, type RetryPolicy } from './retry';

export interface HttpPolicy extends RetryPolicy {
  /** Timeout of one attempt in ms. @default 5000 */
  readonly timeoutMs?: number;
  /** Budget for all attempts and waits together, in ms. @default 20000 */
  readonly deadlineMs?: number;
}

export type FetchLike = (request: Request) => Promise<Response>;

const retryableStatus = (status: number) => status === 429 || status >= 500;

/** Settles when the signal aborts even if the fetch implementation ignores it. */
function withTimeout<T>(pending: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export async function fetchWithRetries(request: Request, policy: HttpPolicy = {}, fetchImpl: FetchLike = fetch): Promise<Response> {
  const retry = resolveRetryPolicy(policy);
  const timeoutMs = policy.timeoutMs ?? 5000;
  const deadline = Date.now() + (policy.deadlineMs ?? 20_000);
  let lastFailure = 'no attempt made';
  for (let attempt = 0; attempt < retry.attempts; attempt++) {
    const isLast = attempt === retry.attempts - 1;
    let retryAfter: number | undefined;
    try {
      const signal = AbortSignal.timeout(Math.max(1, Math.min(timeoutMs, deadline - Date.now())));
      const response = await withTimeout(fetchImpl(new Request(request.clone(), { signal })), signal);
      if (!retryableStatus(response.status) || isLast) return response;
      retryAfter = retryAfterMs(response.headers.get('retry-after'));
      lastFailure = `HTTP ${response.status}`;
      await response.body?.cancel();
    } catch (error) {
      lastFailure = (error as Error)?.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : errorMessage(error);
      if (isLast) throw new NetworkError(request.url, lastFailure, { cause: error });
    }
    const delay = nextDelayMs(attempt, retry, retryAfter);
    if (Date.now() + delay >= deadline) break;
    await retry.sleep(delay);
  }
  throw new NetworkError(request.url, `gave up within the ${policy.deadlineMs ?? 20_000} ms budget: ${lastFailure}`);
}
