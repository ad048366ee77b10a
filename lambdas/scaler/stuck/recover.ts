/**
 * The stuck-run sweep of the 1-minute tick: runs nothing else will move (./classify.ts says which
 * and why) are proposed to a state that frees them, or left and reported, within a bounded number
 * of requests and the invocation's time budget. In order:
 * 1. list the runs to look at (./candidates.ts) and find deployments whose limit is 0 (./zeroLimit.ts);
 * 2. ask ECS about the workers holding stranded runs and the tasks of runs that have one;
 * 3. only then, if needed, the service's workers and the cluster's running flow-run tasks: a
 *    worker found stopped in step 2 can no longer start a task, so this listing is complete for
 *    the runs it held, whatever the order of the later proposals;
 * 4. per run to move (at most MAX_PROPOSALS_PER_TICK): its deployment's lease, then read it
 *    again and propose once (./propose.ts).
 * Runs left alone are remembered for a while (../memory.ts) so the demand leaves them out.
 */
import { errorMessage } from '../../common/errors';
import type { PrefectClient } from '../../common/prefect/client';
import { STEP_MIN_MS, type Budget } from '../budget';
import type { ListedRun } from '../demand/listed';
import { SweepOutOfTimeError, TooManyTasksError } from '../errors';
import { remember, type ScalerMemory } from '../memory';
import type { EcsSender } from '../service';
import { readSweepRuns, type SweepScope } from './candidates';
import { judge, look, type Facts, type LeaveReason, type Look, type StuckPendingSettings, type Verdict } from './classify';
import { DeploymentLimitsReader, leaseAllows } from './deployments';
import { proposeOnce } from './propose';
import { describeTasks, flowRunTasks, serviceTasks } from './tasks';
import { findZeroLimitDeployments } from './zeroLimit';

export type { StuckAction, StuckPendingSettings } from './classify';

/** Proposals per tick at most (each: a read and one POST); the rest wait for the next tick. */
export const MAX_PROPOSALS_PER_TICK = 10;
/** Tasks described per tick at most (one DescribeTasks call). */
export const MAX_DESCRIBED = 100;

export interface SweepQuery extends SweepScope {
  readonly cluster: string;
  readonly service: string;
  readonly now: Date;
  readonly settings: StuckPendingSettings;
}

export type RecoveryOutcome = {
  readonly id: string;
  readonly outcome: 'rescheduled' | 'crashed' | 'cancelled' | 'changed' | 'rejected' | 'failed' | LeaveReason | 'lease-expired';
  readonly detail?: string;
};

export interface SweepReport {
  readonly outcomes: readonly RecoveryOutcome[];
  /** Deployments found with a concurrency limit of 0 this tick. */
  readonly zeroLimitDeployments: readonly string[];
  /** Why part of the sweep did not run (a metric and a warning); undefined when all of it ran. */
  readonly skipped?: string;
}

const MOVED: Record<'SCHEDULED' | 'CRASHED' | 'CANCELLED', RecoveryOutcome['outcome']> = { SCHEDULED: 'rescheduled', CRASHED: 'crashed', CANCELLED: 'cancelled' };

/** Outcomes that leave a stuck run where it is: the demand leaves it out for a while. */
export const LEFT_OUTCOMES: readonly RecoveryOutcome['outcome'][] = ['holder-alive', 'holder-may-live', 'off', 'lease-expired', 'rejected'];

export async function sweep(prefect: PrefectClient, ecs: EcsSender, q: SweepQuery, memory: ScalerMemory, budget: Budget): Promise<SweepReport> {
  const now = q.now.getTime();
  const deployments = new DeploymentLimitsReader(prefect);
  const [runs, zeroLimitDeployments] = await Promise.all([
    readSweepRuns(prefect, q, memory),
    findZeroLimitDeployments(prefect, { ...q, afterSeconds: q.settings.afterSeconds }, deployments, memory),
  ]);
  const looks = runs.map((run) => look(run, q.cluster, now)).filter((l): l is Look => l !== undefined);
  const taskIds = looks.flatMap((l) => (l.kind === 'task' ? [l.taskId] : l.holderTaskId ? [l.holderTaskId] : [])).slice(0, MAX_DESCRIBED);
  const facts: { -readonly [K in keyof Facts]: Facts[K] } = { tasks: new Map() };
  let skipped: string | undefined;
  let verdicts: Verdict[] = [];
  try {
    if (taskIds.length > 0) facts.tasks = await step(budget, () => describeTasks(ecs, q.cluster, taskIds, { abortSignal: budget.awsSignal() }));
    verdicts = looks.map((l) => judge(l, facts, q.settings, now));
    if (verdicts.some((v) => v.kind === 'need' && v.fact === 'serviceWorkers')) {
      facts.serviceWorkers = await step(budget, () => serviceTasks(ecs, q.cluster, q.service, { abortSignal: budget.awsSignal() }));
      verdicts = looks.map((l) => judge(l, facts, q.settings, now));
    }
    if (verdicts.some((v) => v.kind === 'need' && v.fact === 'flowRunTasks')) {
      facts.flowRunTasks = await step(budget, () => flowRunTasks(ecs, q.cluster, { abortSignal: budget.awsSignal() }));
      verdicts = looks.map((l) => judge(l, facts, q.settings, now));
    }
  } catch (error) {
    if (!(error instanceof TooManyTasksError || error instanceof SweepOutOfTimeError)) throw error;
    skipped = error.message;
    if (verdicts.length === 0) verdicts = looks.map((l) => judge(l, facts, q.settings, now));
  }

  const outcomes: RecoveryOutcome[] = [];
  let proposals = 0;
  for (const [i, verdict] of verdicts.entries()) {
    const run = looks[i]!.run;
    if (verdict.kind === 'leave') outcomes.push({ id: run.id, outcome: verdict.reason, detail: verdict.why });
    if (verdict.kind !== 'act') continue;
    // A proposal is Prefect requests only: it needs Prefect's share of the time, not the invocation's.
    if (proposals >= MAX_PROPOSALS_PER_TICK || !budget.hasForPrefect(STEP_MIN_MS)) {
      skipped ??= proposals >= MAX_PROPOSALS_PER_TICK ? `more than ${MAX_PROPOSALS_PER_TICK} runs to move: the rest next tick` : new SweepOutOfTimeError().message;
      continue;
    }
    proposals++;
    outcomes.push(await act(prefect, deployments, run, verdict, now));
  }
  rememberLeft(memory, looks, outcomes, now);
  return { outcomes, zeroLimitDeployments, skipped };
}

async function act(prefect: PrefectClient, deployments: DeploymentLimitsReader, run: ListedRun, verdict: Extract<Verdict, { kind: 'act' }>, now: number): Promise<RecoveryOutcome> {
  try {
    const limits = await deployments.limitsOf(run.deploymentId);
    if (!leaseAllows(limits, verdict.leaseFrom, now)) {
      return { id: run.id, outcome: 'lease-expired', detail: `${verdict.why}; its deployment's concurrency lease (${limits.leaseSeconds} s) may have expired, and moving it now would release a slot twice` };
    }
    const result = await proposeOnce(prefect, run, verdict);
    return result.moved ? { id: run.id, outcome: MOVED[verdict.state], detail: verdict.why } : { id: run.id, outcome: result.outcome, detail: result.detail };
  } catch (error) {
    return { id: run.id, outcome: 'failed', detail: errorMessage(error) };
  }
}

/** Runs left alone are left out of the demand; runs seen moving, or fine, are not. */
function rememberLeft(memory: ScalerMemory, looks: readonly Look[], outcomes: readonly RecoveryOutcome[], now: number): void {
  const stuck = (memory.stuckRuns ??= new Map());
  const left = outcomes.filter((o) => LEFT_OUTCOMES.includes(o.outcome)).map((o) => o.id);
  for (const l of looks) if (!left.includes(l.run.id)) stuck.delete(l.run.id);
  remember(stuck, left, now);
}

async function step<T>(budget: Budget, read: () => Promise<T>): Promise<T> {
  if (!budget.has(STEP_MIN_MS)) throw new SweepOutOfTimeError();
  return read();
}
