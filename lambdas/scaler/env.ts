/** The scaler's environment: what templates/functions/scaler.ts writes and config.ts reads. */
import { PrefectEnv, SharedEnv } from '../common/env';

export const ScalerEnv = {
  ...PrefectEnv,
  WorkPool: SharedEnv.WorkPool,
  /** Comma-separated; empty means every queue of the pool. */
  WorkQueues: 'WORK_QUEUES',
  Cluster: 'ECS_CLUSTER',
  Service: 'ECS_SERVICE',
  MinWorkers: 'MIN_WORKERS',
  MaxWorkers: 'MAX_WORKERS',
  RunsPerWorker: 'RUNS_PER_WORKER',
  LookaheadSeconds: 'LOOKAHEAD_SECONDS',
  IdleGraceSeconds: 'IDLE_GRACE_SECONDS',
  /** Empty when the webhook is off. */
  WebhookTokenSecretArn: 'WEBHOOK_TOKEN_SECRET_ARN',
  MetricsNamespace: 'METRICS_NAMESPACE',
  /** The metric dimension that keeps two stacks with the same pool name apart. */
  StackName: 'STACK_NAME',
} as const;

/** The namespace of the scaler's metrics: the template sets it and its alarms and dashboard watch it. */
export const SCALER_METRICS_NAMESPACE = 'PrefectEcsStack';
