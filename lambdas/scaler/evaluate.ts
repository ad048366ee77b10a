/**
 * One evaluation: read the service and the demand, decide, change the count only when it
 * differs, and log and measure the decision with its inputs. Concurrent evaluations converge:
 * the decision is an absolute count computed from fresh state, never an increment.
 */
import { PrefectApiError, errorMessage } from '../common/errors';
import type { Logger } from '../common/log';
import { embeddedMetrics, type MetricValue } from '../common/metrics';
import type { PrefectClient } from '../common/prefect/client';
import type { SecretReader } from '../common/aws/secrets';
import type { ScalerConfig } from './config';
import { readDemand } from './demand';
import type { Trigger } from './parse';
import { activeRuns, decideDesiredCount, type Decision, type Demand } from './policy';
import { describeWorkerService, setDesiredCount, type EcsSender } from './service';

export interface ScalerDeps {
  readonly ecs: EcsSender;
  readonly prefect: PrefectClient;
  readonly secrets: SecretReader;
  readonly log: Logger;
  readonly writeMetrics: (line: Record<string, unknown>) => void;
  readonly now: () => Date;
}

export interface Evaluation extends Decision {
  readonly previous: number;
  readonly running: number;
  readonly changed: boolean;
  readonly demand?: Demand;
  readonly demandError?: string;
}

async function tryReadDemand(config: ScalerConfig, deps: ScalerDeps): Promise<{ demand?: Demand; error?: string }> {
  try {
    const demand = await readDemand(deps.prefect, {
      workPool: config.workPool,
      workQueues: config.workQueues,
      now: deps.now(),
      lookaheadSeconds: config.settings.lookaheadSeconds,
      idleGraceSeconds: config.settings.idleGraceSeconds,
    });
    return { demand };
  } catch (error) {
    // A rejected credential may have been rotated: read it afresh next time.
    if (error instanceof PrefectApiError && (error.status === 401 || error.status === 403) && config.prefect.secretArn) {
      deps.secrets.invalidate(config.prefect.secretArn);
    }
    return { error: errorMessage(error) };
  }
}

export async function evaluate(config: ScalerConfig, deps: ScalerDeps, trigger: Trigger): Promise<Evaluation> {
  const service = await describeWorkerService(deps.ecs, config.cluster, config.service);
  const { demand, error } = await tryReadDemand(config, deps);
  if (error) deps.log.warn('demand unreadable: keeping the current worker count', { trigger: trigger.kind, error });
  const decision = decideDesiredCount(service.desired, demand, config.settings);
  const changed = decision.desired !== service.desired;
  if (changed) await setDesiredCount(deps.ecs, config.cluster, config.service, decision.desired);
  const evaluation: Evaluation = { ...decision, previous: service.desired, running: service.running, changed, demand, demandError: error };
  deps.log.info('scaling decision', {
    trigger: trigger.kind,
    workPool: config.workPool,
    previous: service.desired,
    desired: decision.desired,
    reason: decision.reason,
    needed: decision.needed,
    changed,
    running: service.running,
    demand,
    settings: config.settings,
  });
  deps.writeMetrics(metricsOf(config, evaluation));
  return evaluation;
}

function metricsOf(config: ScalerConfig, e: Evaluation): Record<string, unknown> {
  const count = (value: number): MetricValue => ({ value, unit: 'Count' });
  const metrics: Record<string, MetricValue> = {
    DesiredWorkers: count(e.desired),
    RunningWorkers: count(e.running),
    ScaleActions: count(e.changed ? 1 : 0),
    DemandUnreadable: count(e.demand ? 0 : 1),
  };
  if (e.demand) {
    Object.assign(metrics, {
      DueRuns: count(e.demand.dueSoon),
      PendingRuns: count(e.demand.pending),
      RunningRuns: count(e.demand.running),
      CancellingRuns: count(e.demand.cancelling),
      ActiveRuns: count(activeRuns(e.demand)),
    });
  }
  return embeddedMetrics(config.metricsNamespace, { StackName: config.stackName, WorkPool: config.workPool }, metrics);
}
