/**
 * How Lambda runs asynchronous invocations (EventBridge's) under a concurrency limit, for tests
 * that start the handler in-process: at most `concurrency` run at once; a throttled event goes
 * back to the queue and is tried again later with a growing interval
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html: "Lambda
 * returns the event to the queue and attempts to run the function again ... The retry interval
 * increases exponentially from 1 second"). Intervals are scaled down to milliseconds here.
 */
export class LambdaAsyncQueue<R> {
  private running = 0;
  readonly throttled: number[] = [];

  constructor(
    private readonly handler: (event: unknown) => Promise<R>,
    /** ReservedConcurrentExecutions, or Infinity for an unreserved function. */
    private readonly concurrency: number,
    private readonly firstRetryMs = 20,
  ) {}

  /** Resolves with the handler's result once the event has run. */
  async invoke(event: unknown, attempt = 0): Promise<R> {
    if (this.running >= this.concurrency) {
      this.throttled.push(attempt);
      await new Promise((r) => setTimeout(r, this.firstRetryMs * 2 ** Math.min(attempt, 5)));
      return this.invoke(event, attempt + 1);
    }
    this.running++;
    try {
      return await this.handler(event);
    } finally {
      this.running--;
    }
  }
}
