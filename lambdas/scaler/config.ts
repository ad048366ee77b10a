/** The scaler's settings, from the environment the template sets. */
import { commaList, optionalString, readPrefectConnection, requireInteger, requireOneOf, requireString, type EnvOf } from '../common/config';
import type { EnvName } from '../common/env';
import { ConfigError } from '../common/errors';
import type { PrefectConnection } from '../common/prefect/client';
import { SCALER_METRICS_NAMESPACE, ScalerEnv } from './env';
import type { ScalingSettings } from './policy';
import type { StuckAction, StuckPendingSettings } from './stuck/classify';

export const STUCK_ACTIONS: readonly StuckAction[] = ['reschedule', 'crash', 'off'];
/** Shorter than this, a run still being submitted (RunTask retries included) could look stuck. */
export const MIN_STUCK_PENDING_SECONDS = 120;

export interface ScalerConfig {
  readonly prefect: PrefectConnection;
  readonly workPool: string;
  readonly workQueues: readonly string[];
  readonly cluster: string;
  readonly service: string;
  readonly settings: ScalingSettings;
  readonly stuckPending: StuckPendingSettings;
  /** @default SCALER_METRICS_NAMESPACE */
  readonly metricsNamespace: string;
  /** Metric dimension that keeps two stacks with the same pool name apart. @default "local" */
  readonly stackName: string;
}

export function readScalerConfig(env: EnvOf<EnvName<typeof ScalerEnv>>): ScalerConfig {
  const prefect = readPrefectConnection(env);
  const settings: ScalingSettings = {
    minWorkers: requireInteger(env, ScalerEnv.MinWorkers, 0, 100),
    maxWorkers: requireInteger(env, ScalerEnv.MaxWorkers, 1, 100),
    submissionsPerWorker: requireInteger(env, ScalerEnv.SubmissionsPerWorker, 1, 100),
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
    stuckPending: {
      afterSeconds: requireInteger(env, ScalerEnv.StuckPendingSeconds, MIN_STUCK_PENDING_SECONDS, 86_400),
      action: requireOneOf(env, ScalerEnv.StuckPendingAction, STUCK_ACTIONS),
    },
    metricsNamespace: optionalString(env, ScalerEnv.MetricsNamespace) ?? SCALER_METRICS_NAMESPACE,
    stackName: optionalString(env, ScalerEnv.StackName) ?? 'local',
  };
}
