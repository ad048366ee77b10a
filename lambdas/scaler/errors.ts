/** Errors of the scaler (the shared ones are in ../common/errors.ts). */
import { PrefectEcsStackError } from '../common/PrefectEcsStackError';
import { ScalerEnv } from './env';

/** The worker service the scaler owns does not exist (or is being deleted). */
export class WorkerServiceNotFoundError extends PrefectEcsStackError {
  constructor(readonly cluster: string, readonly service: string, reason: string) {
    super(`worker service ${service} in cluster ${cluster} not found (${reason}): check the ${ScalerEnv.Cluster} and ${ScalerEnv.Service} settings`);
  }
}

/** The cluster has more tasks than the stuck-run sweep reads: it skips rather than act on a partial view. */
export class TooManyTasksError extends PrefectEcsStackError {
  constructor(readonly cluster: string, readonly limit: number) {
    super(`cluster ${cluster} has more than ${limit} tasks: stuck-run recovery skipped (it never acts on a partial view)`);
  }
}

/** The invocation's time budget ran short: the rest of the stuck-run sweep waits for the next tick. */
export class SweepOutOfTimeError extends PrefectEcsStackError {
  constructor() {
    super('too little time left in this invocation: the rest of the stuck-run sweep waits for the next tick');
  }
}
