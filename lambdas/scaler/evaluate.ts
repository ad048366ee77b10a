/**
 * One evaluation: read the service and the demand, decide, change the count only when it
 * differs, and log and measure the decision with its inputs. Concurrent evaluations converge:
 * the decision is an absolute count computed from fresh state, never an increment. Before it
 * scales to 0 it reads the demand a second time (demand/read.ts says why). On the 1-minute
 * tick it also recovers runs stuck in PENDING (stuck/recover.ts).
 */
import { PrefectApiError, errorMessage } from '../common/errors';
import type { Logger } from '../common/log';
import type { PrefectClient } from '../common/prefect/client';
import type { SecretReader } from '../common/aws/secrets';
import type { ScalerConfig } from './config';
import { readDemand, type ServerKnowledge } from './demand/read';
import { evaluationMetrics } from './metrics';
import { decideDesiredCount, type Decision, type Demand } from './policy';
import { describeWorkerService, setDesiredCount, type EcsSender } from './service';
import { recoverStuckRuns, type RecoveryOutcome } from './stuck/recover';
import type { Trigger } from './triggers/parse';

export type TriggerKind = Trigger['kind'];

/** What the scaler keeps between invocations while its Lambda stays warm. */
export interface ScalerMemory extends ServerKnowledge {
  /** Epoch ms (deps.now()) when the last evaluation started. */
  lastEvaluationStartedAt?: number;
}

export interface ScalerDeps {
  readonly ecs: EcsSender;
  readonly prefect: PrefectClient;
  readonly secrets: SecretReader;
  readonly log: Logger;
  readonly writeMetrics: (line: Record<string, unknown>) => void;
  readonly now: () => Date;
  readonly memory: ScalerMemory;
}

export interface Evaluation extends Decision {
  readonly previous: number;
  readonly running: number;
  readonly changed: boolean;
  readonly demand?: Demand;
  readonly demandError?: string;
  /** The demand was read twice before scaling to 0. */
  readonly confirmed?: boolean;
  readonly recovery?: readonly RecoveryOutcome[];
}

async function tryReadDemand(config: ScalerConfig, deps: ScalerDeps): Promise<{ demand?: Demand; error?: string }> {
  try {
    const s = config.settings;
    const demand = await readDemand(
      deps.prefect,
      {
        workPool: config.workPool,
        workQueues: config.workQueues,
        now: deps.now(),
        lookaheadSeconds: s.lookaheadSeconds,
        idleGraceSeconds: s.idleGraceSeconds,
        mayScaleToZero: s.minWorkers === 0,
        submissionsPerWorker: s.submissionsPerWorker,
        maxWorkers: s.maxWorkers,
      },
      deps.memory,
    );
    return { demand };
  } catch (error) {
    // A rejected credential may have been rotated: read it afresh next time.
    if (error instanceof PrefectApiError && (error.status === 401 || error.status === 403) && config.prefect.secretArn) {
      deps.secrets.invalidate(config.prefect.secretArn);
    }
    return { error: errorMessage(error) };
  }
}

async function sweepStuckRuns(config: ScalerConfig, deps: ScalerDeps): Promise<RecoveryOutcome[]> {
  try {
    const outcomes = await recoverStuckRuns(deps.prefect, deps.ecs, {
      workPool: config.workPool,
      workQueues: config.workQueues,
      cluster: config.cluster,
      now: deps.now(),
      settings: config.stuckPending,
    });
    for (const o of outcomes.filter((x) => x.outcome !== 'has-task')) {
      const level = o.outcome === 'recovered' ? 'warn' : 'info';
      deps.log[level]('stuck pending run', { flowRunId: o.id, outcome: o.outcome, detail: o.detail, action: config.stuckPending.action });
    }
    return outcomes;
  } catch (error) {
    deps.log.warn('stuck-run recovery skipped', { error: errorMessage(error) });
    return [];
  }
}

export async function evaluate(config: ScalerConfig, deps: ScalerDeps, triggers: readonly TriggerKind[]): Promise<Evaluation> {
  deps.memory.lastEvaluationStartedAt = deps.now().getTime();
  const service = await describeWorkerService(deps.ecs, config.cluster, config.service);
  let { demand, error } = await tryReadDemand(config, deps);
  let decision = decideDesiredCount(service.desired, demand, config.settings);
  let confirmed: boolean | undefined;
  if (demand && decision.desired === 0 && service.desired > 0) {
    const again = await tryReadDemand(config, deps);
    const second = decideDesiredCount(service.desired, again.demand, config.settings);
    confirmed = second.desired === 0;
    if (!confirmed) {
      ({ demand, error } = again);
      decision = second;
    }
  }
  if (error) deps.log.warn('demand unreadable: keeping the current worker count', { triggers, error });
  const changed = decision.desired !== service.desired;
  if (changed) await setDesiredCount(deps.ecs, config.cluster, config.service, decision.desired);
  const recovery = triggers.includes('schedule') && demand && demand.pending > 0 ? await sweepStuckRuns(config, deps) : undefined;
  const evaluation: Evaluation = { ...decision, previous: service.desired, running: service.running, changed, demand, demandError: error, confirmed, recovery };
  deps.log.info('scaling decision', {
    triggers,
    workPool: config.workPool,
    previous: service.desired,
    desired: decision.desired,
    reason: decision.reason,
    needed: decision.needed,
    backlog: decision.backlog,
    changed,
    confirmed,
    running: service.running,
    demand,
    idleGrace: deps.memory.endTimeUnsupported ? 'unsupported by this Prefect server (< 3.0.4): not applied' : undefined,
    settings: config.settings,
  });
  deps.writeMetrics(evaluationMetrics(config, evaluation));
  return evaluation;
}
