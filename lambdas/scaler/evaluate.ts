/**
 * One evaluation: read the service and the demand, decide, change the count only when it
 * differs, and log and measure the decision with its inputs. Concurrent evaluations converge:
 * the decision is an absolute count computed from fresh state, never an increment. Before it
 * scales to 0 it reads the demand a second time (demand/read.ts says why). On the 1-minute tick
 * it also sweeps for stuck runs (stuck/recover.ts). Everything runs within the invocation's time
 * budget (budget.ts): the decision first, the optional work only while time is left, and a sweep
 * that fails or runs short is logged and counted, never fails the invocation.
 */
import { PrefectApiError, errorMessage } from '../common/errors';
import type { Logger } from '../common/log';
import type { PrefectClient } from '../common/prefect/client';
import type { SecretReader } from '../common/aws/secrets';
import { SECOND_READING_MIN_MS, SWEEP_MIN_MS, type Budget } from './budget';
import type { ScalerConfig } from './config';
import { readDemand } from './demand/read';
import type { ScalerMemory } from './memory';
import { evaluationMetrics } from './metrics';
import { activeRuns, clamp, decideDesiredCount, ignoredRuns, type Decision, type Demand } from './policy';
import { describeWorkerService, setDesiredCount, type EcsSender } from './service';
import { LEFT_OUTCOMES, sweep, type SweepReport } from './stuck/recover';
import type { Trigger } from './triggers/parse';

export type TriggerKind = Trigger['kind'];
export type { ScalerMemory } from './memory';

export interface ScalerDeps {
  readonly ecs: EcsSender;
  readonly prefect: PrefectClient;
  readonly secrets: SecretReader;
  readonly log: Logger;
  readonly writeMetrics: (line: Record<string, unknown>) => void;
  readonly now: () => Date;
  readonly memory: ScalerMemory;
  /** The invocation's time; the Prefect client reads its deadline too (index.ts). */
  readonly budget: Budget;
}

export interface Evaluation extends Decision {
  readonly previous: number;
  readonly running: number;
  readonly changed: boolean;
  readonly demand?: Demand;
  readonly demandError?: string;
  /** The demand was read twice before scaling to 0 (false: not enough time was left, so the count was kept). */
  readonly confirmed?: boolean;
  readonly sweep?: SweepReport;
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
        stuckAfterSeconds: config.stuckPending.afterSeconds,
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

/** The sweep has something to look at: runs with tasks or due, or runs left out earlier. */
const worthSweeping = (d: Demand) => activeRuns(d) + d.cancelling + ignoredRuns(d) > 0;

async function sweepStuckRuns(config: ScalerConfig, deps: ScalerDeps): Promise<SweepReport> {
  const skip = (why: string): SweepReport => ({ outcomes: [], zeroLimitDeployments: [], skipped: why });
  let report: SweepReport;
  try {
    report = deps.budget.has(SWEEP_MIN_MS)
      ? await sweep(
          deps.prefect,
          deps.ecs,
          { workPool: config.workPool, workQueues: config.workQueues, cluster: config.cluster, service: config.service, now: deps.now(), settings: config.stuckPending },
          deps.memory,
          deps.budget,
        )
      : skip(`only ${Math.max(0, Math.round(deps.budget.remainingMs() / 1000))} s left in this invocation`);
  } catch (error) {
    report = skip(errorMessage(error));
  }
  for (const o of report.outcomes) {
    const left = LEFT_OUTCOMES.includes(o.outcome);
    deps.log[left && o.outcome !== 'rejected' ? 'info' : 'warn'](left ? 'stuck run left alone' : 'stuck run', { flowRunId: o.id, outcome: o.outcome, detail: o.detail, action: config.stuckPending.action });
  }
  if (report.zeroLimitDeployments.length > 0) deps.log.warn('deployments with a concurrency limit of 0: their runs never start', { deploymentIds: report.zeroLimitDeployments });
  if (report.skipped) deps.log.warn('stuck-run sweep skipped', { reason: report.skipped });
  return report;
}

export async function evaluate(config: ScalerConfig, deps: ScalerDeps, triggers: readonly TriggerKind[]): Promise<Evaluation> {
  deps.memory.lastEvaluationStartedAt = deps.now().getTime();
  const service = await describeWorkerService(deps.ecs, config.cluster, config.service, deps.budget.awsSignal());
  let { demand, error } = await tryReadDemand(config, deps);
  let decision = decideDesiredCount(service.desired, demand, config.settings);
  let confirmed: boolean | undefined;
  if (demand && decision.desired === 0 && service.desired > 0) {
    if (deps.budget.has(SECOND_READING_MIN_MS)) {
      const again = await tryReadDemand(config, deps);
      const second = decideDesiredCount(service.desired, again.demand, config.settings);
      confirmed = second.desired === 0;
      if (!confirmed) {
        ({ demand, error } = again);
        decision = second;
      }
    } else {
      confirmed = false;
      decision = { ...decision, desired: clamp(service.desired, config.settings), reason: 'unconfirmed' };
    }
  }
  if (error) deps.log.warn('demand unreadable: keeping the current worker count', { triggers, error });
  const changed = decision.desired !== service.desired;
  if (changed) await setDesiredCount(deps.ecs, config.cluster, config.service, decision.desired, deps.budget.awsSignal());
  const report = triggers.includes('schedule') && demand && worthSweeping(demand) ? await sweepStuckRuns(config, deps) : undefined;
  const evaluation: Evaluation = { ...decision, previous: service.desired, running: service.running, changed, demand, demandError: error, confirmed, sweep: report };
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
    remainingMs: Number.isFinite(deps.budget.remainingMs()) ? Math.round(deps.budget.remainingMs()) : undefined,
  });
  deps.writeMetrics(evaluationMetrics(config, evaluation));
  return evaluation;
}
