/** The scaler's CloudWatch metrics of one evaluation (embedded metric format, ../common/metrics.ts). */
import { embeddedMetrics, type MetricValue } from '../common/metrics';
import type { ScalerConfig } from './config';
import { activeRuns, ignoredRuns, type Demand } from './policy';

/** What an evaluation reports (evaluate.ts's Evaluation has these fields). */
export interface MeasuredEvaluation {
  readonly desired: number;
  readonly running: number;
  readonly changed: boolean;
  readonly demand?: Demand;
  readonly backlog?: number;
  readonly sweep?: { readonly outcomes: readonly { readonly outcome: string }[]; readonly skipped?: string };
}

const MOVED = ['rescheduled', 'crashed', 'cancelled'];
const LEFT = ['holder-alive', 'holder-may-live', 'off', 'lease-expired', 'rejected'];

const count = (value: number): MetricValue => ({ value, unit: 'Count' });

export const metricDimensions = (config: ScalerConfig) => ({ StackName: config.stackName, WorkPool: config.workPool });

export function evaluationMetrics(config: ScalerConfig, e: MeasuredEvaluation): Record<string, unknown> {
  const metrics: Record<string, MetricValue> = {
    DesiredWorkers: count(e.desired),
    RunningWorkers: count(e.running),
    ScaleActions: count(e.changed ? 1 : 0),
    DemandUnreadable: count(e.demand ? 0 : 1),
  };
  if (e.demand) {
    Object.assign(metrics, {
      DueRuns: count(e.demand.due),
      UntakeableRuns: count(e.demand.untakeable),
      BacklogRuns: count(e.backlog ?? 0),
      PendingRuns: count(e.demand.pending),
      RunningRuns: count(e.demand.running),
      CancellingRuns: count(e.demand.cancelling),
      ActiveRuns: count(activeRuns(e.demand)),
      IgnoredRuns: count(ignoredRuns(e.demand)),
    });
  }
  if (e.sweep) {
    Object.assign(metrics, {
      StuckRunsRecovered: count(e.sweep.outcomes.filter((o) => MOVED.includes(o.outcome)).length),
      StuckRunsLeft: count(e.sweep.outcomes.filter((o) => LEFT.includes(o.outcome)).length),
      StuckSweepSkipped: count(e.sweep.skipped ? 1 : 0),
    });
  }
  return embeddedMetrics(config.metricsNamespace, metricDimensions(config), metrics);
}

/** An evaluation that failed (ECS unreachable, service missing): counted, since the trigger queue must not retry it. */
export const evaluationFailureMetrics = (config: ScalerConfig) =>
  embeddedMetrics(config.metricsNamespace, metricDimensions(config), { EvaluationFailures: count(1) });
