/**
 * The time one invocation may use, so the scaler always returns before its Lambda timeout. A
 * timed-out batch of the FIFO trigger queue is received again only after the visibility timeout,
 * and the single message group holds every later trigger (the 1-minute tick included) behind it
 * until then (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html); so
 * the decision gets the time first, and the optional work (the second zero reading, the stuck-run
 * sweep) runs only while enough is left and stops when it runs short.
 *
 * One Budget lives for the function's lifetime and is restarted per invocation: the Prefect
 * client (made once, at cold start) reads `prefectDeadlineAt` for every request.
 */

/** The scaler function's timeout (the template sets it; the trigger queue's visibility timeout follows it). */
export const SCALER_TIMEOUT_SECONDS = 60;
/** Stop this long before the Lambda timeout: logging, metrics and returning. */
export const SAFETY_MS = 3000;
/** Prefect requests end this long before the deadline, so UpdateService still fits after them. */
export const UPDATE_RESERVE_MS = 8000;
/** The second reading before scaling to 0 starts only with this much left. */
export const SECOND_READING_MIN_MS = 12_000;
/** The stuck-run sweep starts only with this much left, and stops before it has less than STEP_MIN_MS. */
export const SWEEP_MIN_MS = 20_000;
export const STEP_MIN_MS = 5000;

export class Budget {
  private deadline = Number.POSITIVE_INFINITY;

  constructor(
    /** Wall clock in epoch ms. @default Date.now */
    private readonly clock: () => number = Date.now,
  ) {}

  /** Starts an invocation that has `remainingMs` until its Lambda timeout (`context.getRemainingTimeInMillis()`). */
  start(remainingMs: number): void {
    this.deadline = this.clock() + remainingMs - SAFETY_MS;
  }

  remainingMs(): number {
    return this.deadline - this.clock();
  }

  has(ms: number): boolean {
    return this.remainingMs() >= ms;
  }

  /** Whether Prefect requests still have `ms` (they stop UPDATE_RESERVE_MS before the deadline). */
  hasForPrefect(ms: number): boolean {
    return this.remainingMs() - UPDATE_RESERVE_MS >= ms;
  }

  /** For HttpPolicy.deadlineAt: no Prefect request runs into the time UpdateService needs. */
  readonly prefectDeadlineAt = (): number | undefined => (Number.isFinite(this.deadline) ? this.deadline - UPDATE_RESERVE_MS : undefined);

  /** Aborts an AWS SDK call at the deadline (`send(command, { abortSignal })`); undefined before `start`. */
  awsSignal(): AbortSignal | undefined {
    return Number.isFinite(this.deadline) ? AbortSignal.timeout(Math.max(1, this.remainingMs())) : undefined;
  }
}
