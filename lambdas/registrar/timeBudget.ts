/**
 * The invocation's time, kept for logging its outcomes: no Prefect or ECR call starts once less
 * than one call's deadline (plus a margin) is left, so the handler returns (and logs every
 * deployment's outcome) before Lambda's timeout cuts it off mid-write with nothing logged. The
 * calls are guarded where they are made, so a deployment half done is not continued later by a
 * thawed invocation.
 */
import type { PrefectClient } from '../common/prefect/client';
import { OutOfTimeError } from './errors';
import type { EcrApi } from './registration/images';

/** The Lambda context's clock (https://docs.aws.amazon.com/lambda/latest/dg/typescript-context.html). */
export interface InvocationClock {
  getRemainingTimeInMillis(): number;
}

export interface TimeBudget {
  /** Throws OutOfTimeError when less than the reserve is left. */
  check(): void;
}

export const timeBudget = (clock: InvocationClock | undefined, reserveMs: number): TimeBudget => ({
  check() {
    const left = clock?.getRemainingTimeInMillis() ?? Infinity;
    if (left < reserveMs) throw new OutOfTimeError(left);
  },
});

/** The clients with the budget checked before every request. */
export function withinBudget(clients: { readonly prefect: PrefectClient; readonly ecr: EcrApi }, budget: TimeBudget): { prefect: PrefectClient; ecr: EcrApi } {
  const prefect = new Proxy(clients.prefect, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      // GET, POST, PATCH ...: the request methods; use/eject pass through.
      if (typeof value !== 'function' || !/^[A-Z]+$/.test(String(property))) return value;
      return (...args: unknown[]) => {
        budget.check();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    prefect,
    ecr: {
      describeImages: (input) => {
        budget.check();
        return clients.ecr.describeImages(input);
      },
    },
  };
}
