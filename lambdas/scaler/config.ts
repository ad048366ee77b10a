/** The scaler's settings, from the environment the template sets. */
import { commaList, optionalString, readPrefectConnection, requireInteger, requireString, type Env } from '../common/config';
import { ConfigError } from '../common/errors';
import type { PrefectConnection } from '../common/prefect/client';
import type { ScalingSettings } from './policy';

export interface ScalerConfig {
  readonly prefect: PrefectConnection;
  readonly workPool: string;
  readonly workQueues: readonly string[];
  readonly cluster: string;
  readonly service: string;
  readonly settings: ScalingSettings;
  /** Secret holding the webhook token; undefined when the webhook is off. */
  readonly webhookTokenSecretArn?: string;
  /** @default "PrefectEcsStack" */
  readonly metricsNamespace: string;
  /** Metric dimension that keeps two stacks with the same pool name apart. @default "local" */
  readonly stackName: string;
}

export function readScalerConfig(env: Env): ScalerConfig {
  const prefect = readPrefectConnection(env);
  const settings: ScalingSettings = {
    minWorkers: requireInteger(env, 'MIN_WORKERS', 0, 100),
    maxWorkers: requireInteger(env, 'MAX_WORKERS', 1, 100),
    runsPerWorker: requireInteger(env, 'RUNS_PER_WORKER', 1, 100),
    lookaheadSeconds: requireInteger(env, 'LOOKAHEAD_SECONDS', 0, 86_400),
    idleGraceSeconds: requireInteger(env, 'IDLE_GRACE_SECONDS', 0, 86_400),
  };
  if (settings.minWorkers > settings.maxWorkers) {
    throw new ConfigError('MIN_WORKERS', `(${settings.minWorkers}) must not exceed MAX_WORKERS (${settings.maxWorkers})`);
  }
  return {
    prefect,
    workPool: requireString(env, 'WORK_POOL'),
    workQueues: commaList(env, 'WORK_QUEUES'),
    cluster: requireString(env, 'ECS_CLUSTER'),
    service: requireString(env, 'ECS_SERVICE'),
    settings,
    webhookTokenSecretArn: optionalString(env, 'WEBHOOK_TOKEN_SECRET_ARN'),
    metricsNamespace: optionalString(env, 'METRICS_NAMESPACE') ?? 'PrefectEcsStack',
    stackName: optionalString(env, 'STACK_NAME') ?? 'local',
  };
}
