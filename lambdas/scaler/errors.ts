import { PrefectEcsStackError } from '../common/errors';

/** The worker service the scaler owns does not exist (or is being deleted). */
export class WorkerServiceNotFoundError extends PrefectEcsStackError {
  constructor(readonly cluster: string, readonly service: string, reason: string) {
    super(`worker service ${service} in cluster ${cluster} not found (${reason}): check the ECS_CLUSTER and ECS_SERVICE settings`);
  }
}
