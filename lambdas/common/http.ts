/**
 * fetch with a timeout on every attempt, and bounded retries with backoff and jitter on
 * network errors, timeouts, 429 and 5xx (Retry-After honoured, capped), or on the answers a
 * caller's `retryable` names. Other statuses are returned at once: a 401 does not get better by
 * asking again. A request that must not be sent twice (`mayRepeat`) is retried only after a 429.
 */
import { NetworkError, errorMessage } from './errors';
import { nextDelayMs, resolveRetryPolicy, retryAfterMs, type RetryPolicy } from './retry';

export interface HttpPolicy extends RetryPolicy {
  /** Timeout of one attempt in ms. @default 5000 */
  readonly timeoutMs?: number;
  /** Budget for all attempts and waits together, in ms. @default 20000 */
  readonly deadlineMs?: number;
  /** An absolute deadline (epoch ms), read at each request: e.g. the end of a Lambda invocation's budget. @default none */
  readonly deadlineAt?: () => number | undefined;
  /**
   * Whether a request may be sent again after a failure it may have got past the server with (a
   * timeout, a network error, a 5xx). A 429 is retried either way: the server refused it unread.
   * @default every request
   */
  readonly mayRepeat?: (request: Request) => boolean;
  /** Whether an answer is worth asking for again (it may read a clone of the body). @default 429 or 5xx */
  readonly retryable?: (response: Response) => boolean | Promise<boolean>;
}

export type FetchLike = (request: Request) => Promise<Response>;

const isRetryableStatus = (response: Response) => response.status === 429 || response.status >= 500;

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
  const deadline = Math.min(Date.now() + (policy.deadlineMs ?? 20_000), policy.deadlineAt?.() ?? Number.POSITIVE_INFINITY);
  const mayRepeat = policy.mayRepeat?.(request) ?? true;
  if (deadline - Date.now() < 1) throw new NetworkError(request.url, 'not sent: no time left before the deadline');
  let lastFailure = 'no attempt made';
  for (let attempt = 0; attempt < retry.attempts; attempt++) {
    let isLast = attempt === retry.attempts - 1;
    let retryAfter: number | undefined;
    try {
      const signal = AbortSignal.timeout(Math.max(1, Math.min(timeoutMs, deadline - Date.now())));
      const response = await withTimeout(fetchImpl(new Request(request.clone(), { signal })), signal);
      if (!mayRepeat && response.status !== 429) isLast = true;
      if (isLast || !(await (policy.retryable ?? isRetryableStatus)(response))) return response;
      retryAfter = retryAfterMs(response.headers.get('retry-after'));
      lastFailure = `HTTP ${response.status}`;
      await response.body?.cancel();
    } catch (error) {
      lastFailure = (error as Error)?.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : errorMessage(error);
      if (isLast || !mayRepeat) throw new NetworkError(request.url, lastFailure, { cause: error });
    }
    const delay = nextDelayMs(attempt, retry, retryAfter);
    if (Date.now() + delay >= deadline) break;
    await retry.sleep(delay);
  }
  throw new NetworkError(request.url, `gave up within the ${policy.deadlineMs ?? 20_000} ms budget: ${lastFailure}`);
}
