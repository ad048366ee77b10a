/**
 * How Lambda runs asynchronous invocations (EventBridge's) under a concurrency limit, for tests
 * that start the handler in-process: at most `concurrency` run at once; a throttled event goes
 * back to the queue and is tried again later with a growing interval
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html: "Lambda
 * returns the event to the queue and attempts to run the function again ... The retry interval
 * increases exponentially from 1 second"), until it is older than the function's maximum event
 * age, when Lambda discards it (to the on-failure destination or dead-letter queue). Intervals
 * and ages are scaled down to milliseconds here.
 */
export class LambdaAsyncQueue<R> {
  private running = 0;
  readonly throttled: number[] = [];
  /** Events discarded for their age, as Lambda discards them. */
  readonly expired: unknown[] = [];

  constructor(
    private readonly handler: (event: unknown) => Promise<R>,
    /** ReservedConcurrentExecutions, or Infinity for an unreserved function. */
    private readonly concurrency: number,
    private readonly firstRetryMs = 20,
    /** MaximumEventAgeInSeconds, scaled like the intervals. @default no limit */
    private readonly maxEventAgeMs = Infinity,
  ) {}

  /** Resolves with the handler's result once the event has run, or undefined once it expired. */
  async invoke(event: unknown, attempt = 0, queuedAt = Date.now()): Promise<R | undefined> {
    if (this.running >= this.concurrency) {
      if (Date.now() - queuedAt >= this.maxEventAgeMs) {
        this.expired.push(event);
        return undefined;
      }
      this.throttled.push(attempt);
      await new Promise((r) => setTimeout(r, this.firstRetryMs * 2 ** Math.min(attempt, 5)));
      return this.invoke(event, attempt + 1, queuedAt);
    }
    this.running++;
    try {
      return await this.handler(event);
    } finally {
      this.running--;
    }
  }
}
