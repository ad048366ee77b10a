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
  /** The worker's `--limit`: concurrent submissions of one worker. */
  SubmissionsPerWorker: 'SUBMISSIONS_PER_WORKER',
  LookaheadSeconds: 'LOOKAHEAD_SECONDS',
  IdleGraceSeconds: 'IDLE_GRACE_SECONDS',
  /** A PENDING run with no task this long is recovered. */
  StuckPendingSeconds: 'STUCK_PENDING_SECONDS',
  /** reschedule | crash | off */
  StuckPendingAction: 'STUCK_PENDING_ACTION',
  MetricsNamespace: 'METRICS_NAMESPACE',
  /** The metric dimension that keeps two stacks with the same pool name apart. */
  StackName: 'STACK_NAME',
} as const;

/** The namespace of the scaler's metrics: the template sets it and its alarms and dashboard watch it. */
export const SCALER_METRICS_NAMESPACE = 'PrefectEcsStack';
