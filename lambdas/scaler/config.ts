/** The scaler's settings, from the environment the template sets. */
import { commaList, optionalString, readPrefectConnection, requireInteger, requireString, type Env } from '../common/config';
import { ConfigError } from '../common/errors';
import type { PrefectConnection } from '../common/prefect/client';
import { SCALER_METRICS_NAMESPACE, ScalerEnv } from './env';
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
  /** @default SCALER_METRICS_NAMESPACE */
  readonly metricsNamespace: string;
  /** Metric dimension that keeps two stacks with the same pool name apart. @default "local" */
  readonly stackName: string;
}

export function readScalerConfig(env: Env): ScalerConfig {
  const prefect = readPrefectConnection(env);
  const settings: ScalingSettings = {
    minWorkers: requireInteger(env, ScalerEnv.MinWorkers, 0, 100),
    maxWorkers: requireInteger(env, ScalerEnv.MaxWorkers, 1, 100),
    runsPerWorker: requireInteger(env, ScalerEnv.RunsPerWorker, 1, 100),
    lookaheadSeconds: requireInteger(env, ScalerEnv.LookaheadSeconds, 0, 86_400),
    idleGraceSeconds: requireInteger(env, ScalerEnv.IdleGraceSeconds, 0, 86_400),
  };
  if (settings.minWorkers > settings.maxWorkers) {
    throw new ConfigError(ScalerEnv.MinWorkers, `(${settings.minWorkers}) must not exceed ${ScalerEnv.MaxWorkers} (${settings.maxWorkers})`);
  }
  return {
    prefect,
    workPool: requireString(env, ScalerEnv.WorkPool),
    workQueues: commaList(env, ScalerEnv.WorkQueues),
    cluster: requireString(env, ScalerEnv.Cluster),
    service: requireString(env, ScalerEnv.Service),
    settings,
    webhookTokenSecretArn: optionalString(env, ScalerEnv.WebhookTokenSecretArn),
    metricsNamespace: optionalString(env, ScalerEnv.MetricsNamespace) ?? SCALER_METRICS_NAMESPACE,
    stackName: optionalString(env, ScalerEnv.StackName) ?? 'local',
  };
}
