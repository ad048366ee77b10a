/**
 * What the sweep does with a run, as a pure function of what it has read. The rules, and why:
 *
 * A **stranded** run is PENDING named Pending or Submitting, without `infrastructure_pid`, for
 * longer than a submission takes (SUBMISSION_DONE_SECONDS): its worker stopped before RunTask
 * (PrefectHQ/prefect#20485) or hangs. A worker ignores an Abort of its Submitting proposal and
 * still calls RunTask (3.6.28:src/prefect/workers/base.py:1686-1700), so proposing SCHEDULED
 * while the worker that holds the run lives could run the flow twice (#22664). Hence:
 * - **reschedule** (SCHEDULED) only when that worker is known to be gone: the run is named
 *   Submitting, its `prefect.worker.name` label names a worker of this stack (`ecs-task-<id>`,
 *   ../prefectWorker.ts) and ECS says that task has STOPPED (its process can call nothing any
 *   more; MISSING: stopped over an hour ago). With no trustworthy label (named Pending, a worker
 *   not named by this stack, servers before 3.6.22 where runs stay "Pending"), only after
 *   StuckPendingSeconds and when none of the service's workers that existed when the run went
 *   PENDING is still alive.
 * - **crash** (CRASHED) is safe even while the worker lives: nothing takes a CRASHED run, and a
 *   late Submitting from that worker is accepted from CRASHED (PreventPendingTransitions does not
 *   cover it, HandleFlowTerminalStateTransitions only refuses CANCELLING, PAUSED or CRASHED:
 *   3.6.28:src/prefect/server/orchestration/core_policy.py:1556-1623, :1634-1701), so the flow
 *   still runs once. So `crash` acts after StuckPendingSeconds whoever holds the run.
 * - Either way the run must have no flow-run task created since it went PENDING (its pid PATCH may
 *   have failed after RunTask: base.py:1459-1470) and its deployment's concurrency lease must
 *   surely live (./deployments.ts).
 * - A stuck run the sweep must leave (its worker lives, or may) is reported and left out of the
 *   demand: it keeps no worker up, and once the fleet scales in, its worker is gone and the run
 *   is rescheduled.
 *
 * A run with a **task that is gone** (`infrastructure_pid` of this cluster, and ECS says STOPPED
 * over OBSERVER_GRACE_SECONDS ago, or MISSING) is left by everything else: the observer missed the
 * event, or proposes nothing when the event lists no container (prefect-aws-0.7.7:.../observers/
 * ecs.py:750-776), or its Crashed is rejected for a CANCELLING run (core_policy.py:1836-1857). The
 * sweep proposes what the observer would (CRASHED), or CANCELLED for a CANCELLING run (the only
 * move EnforceCancellingToCancelledTransition allows).
 *
 * With StuckPendingAction=off the sweep changes no state; stuck runs are still left out and reported.
 */
import type { ListedRun } from '../demand/listed';
import { SUBMISSION_DONE_SECONDS, SUBMITTING_STATE_NAME, SUBMITTING_STATE_NAMES, workerTaskId } from '../prefectWorker';
import { isAlive, taskIdOf, type TaskState } from './tasks';

export type StuckAction = 'reschedule' | 'crash' | 'off';

export interface StuckPendingSettings {
  /** A PENDING run without a task this long is stuck. @default 600 */
  readonly afterSeconds: number;
  /** What a stuck run is proposed: SCHEDULED (taken again), CRASHED, or nothing. @default "reschedule" */
  readonly action: StuckAction;
}

/** The observer marks a stopped task's run from the STOPPED event within seconds; the sweep waits this long first. */
export const OBSERVER_GRACE_SECONDS = 120;
/** Prefect's state timestamps and ECS's task times come from different clocks. */
export const CLOCK_SKEW_SECONDS = 60;

export type Look = { readonly kind: 'stranded'; readonly run: ListedRun; readonly holderTaskId?: string } | { readonly kind: 'task'; readonly run: ListedRun; readonly taskId: string };

const clusterNameOf = (cluster: string) => cluster.slice(cluster.lastIndexOf('/') + 1);

/** A first look at a listed run: is it one the sweep must judge, and which task does it need to know about? */
export function look(run: ListedRun, cluster: string, now: number): Look | undefined {
  if (run.pid) {
    // "<cluster>::<taskArn>" (prefect-aws-0.7.7:.../workers/ecs_worker.py:753-761); the ARN names its cluster.
    const taskArn = run.pid.slice(run.pid.indexOf('::') + 2);
    const clusterOfTask = /:task\/([^/]+)\/[^/]+$/.exec(taskArn)?.[1];
    if (!run.pid.includes('::') || clusterOfTask !== clusterNameOf(cluster)) return undefined;
    return ['PENDING', 'RUNNING', 'CANCELLING'].includes(run.stateType) ? { kind: 'task', run, taskId: taskIdOf(taskArn) } : undefined;
  }
  const submitting = run.stateType === 'PENDING' && (SUBMITTING_STATE_NAMES as readonly string[]).includes(run.stateName);
  if (!submitting || now - run.since < SUBMISSION_DONE_SECONDS * 1000) return undefined;
  // Only while named Submitting does the label name the worker submitting the run (../prefectWorker.ts).
  return { kind: 'stranded', run, holderTaskId: run.stateName === SUBMITTING_STATE_NAME ? workerTaskId(run.workerName) : undefined };
}

export interface Facts {
  /** Tasks by id: holders' and runs' (./tasks.ts describeTasks). */
  readonly tasks: ReadonlyMap<string, TaskState>;
  readonly serviceWorkers?: readonly TaskState[];
  /** Creation times of the cluster's running flow-run tasks, by flow-run id. */
  readonly flowRunTasks?: ReadonlyMap<string, readonly number[]>;
}

export type LeaveReason = 'holder-alive' | 'holder-may-live' | 'off';

export type Verdict =
  | { readonly kind: 'act'; readonly state: 'SCHEDULED' | 'CRASHED' | 'CANCELLED'; readonly why: string; readonly leaseFrom?: number }
  | { readonly kind: 'leave'; readonly reason: LeaveReason; readonly why: string }
  | { readonly kind: 'wait'; readonly reason: string }
  | { readonly kind: 'need'; readonly fact: 'serviceWorkers' | 'flowRunTasks' }
  | { readonly kind: 'fine' };

const isoOf = (ms: number) => new Date(ms).toISOString();

function judgeStranded(l: Extract<Look, { kind: 'stranded' }>, facts: Facts, s: StuckPendingSettings, now: number): Verdict {
  const { run } = l;
  const old = now - run.since >= s.afterSeconds * 1000;
  const holderState = l.holderTaskId ? facts.tasks.get(l.holderTaskId) : undefined;
  const holder = !l.holderTaskId || !holderState ? 'unknown' : isAlive(holderState) ? 'alive' : 'dead';
  const stuckSince = `PENDING (${run.stateName}) since ${isoOf(run.since)} with no ECS task`;
  if (s.action === 'off') return old ? { kind: 'leave', reason: 'off', why: `${stuckSince} (StuckPendingAction=off)` } : { kind: 'wait', reason: 'young' };
  if (holder !== 'dead' && !old) return { kind: 'wait', reason: `holder ${holder}` };
  if (holder === 'alive' && s.action === 'reschedule') {
    return { kind: 'leave', reason: 'holder-alive', why: `${stuckSince}; its worker (task ${l.holderTaskId}) still runs and could still submit it` };
  }
  if (holder === 'unknown' && s.action === 'reschedule') {
    if (!facts.serviceWorkers) return { kind: 'need', fact: 'serviceWorkers' };
    const mayHold = facts.serviceWorkers.some((w) => isAlive(w) && (w.createdAt ?? 0) <= run.since + CLOCK_SKEW_SECONDS * 1000);
    if (mayHold) return { kind: 'leave', reason: 'holder-may-live', why: `${stuckSince}; a worker that was up when it went PENDING still runs and could still submit it` };
  }
  if (!facts.flowRunTasks) return { kind: 'need', fact: 'flowRunTasks' };
  if ((facts.flowRunTasks.get(run.id) ?? []).some((createdAt) => createdAt >= run.since - CLOCK_SKEW_SECONDS * 1000)) return { kind: 'wait', reason: 'has-task' };
  const whose = holder === 'dead' ? `its worker (task ${l.holderTaskId}) has stopped` : holder === 'alive' ? `its worker (task ${l.holderTaskId}) hangs` : `over ${s.afterSeconds} s`;
  const reschedule = s.action === 'reschedule';
  return {
    kind: 'act',
    state: reschedule ? 'SCHEDULED' : 'CRASHED',
    why: `${stuckSince}: ${whose} before RunTask (PrefectHQ/prefect#20485)`,
    leaseFrom: run.since,
  };
}

function judgeTask(l: Extract<Look, { kind: 'task' }>, facts: Facts, s: StuckPendingSettings, now: number): Verdict {
  const task = facts.tasks.get(l.taskId);
  if (!task || isAlive(task)) return { kind: 'fine' };
  // ECS's API is eventually consistent: a task just started may not be described yet (MISSING).
  const recent = (since: number | undefined) => now - (since ?? now) < OBSERVER_GRACE_SECONDS * 1000;
  if (recent(l.run.since) || (task.lastStatus === 'STOPPED' && recent(task.stoppedAt))) return { kind: 'wait', reason: 'observer' };
  const gone = task.lastStatus === 'MISSING' ? 'is no longer known to ECS' : `stopped at ${isoOf(task.stoppedAt ?? now)} (${task.stoppedReason ?? 'no reason given'})`;
  const why = `${l.run.stateType} (${l.run.stateName}) but its ECS task ${l.taskId} ${gone}`;
  if (s.action === 'off') return { kind: 'leave', reason: 'off', why: `${why} (StuckPendingAction=off)` };
  // A PENDING run's lease was last renewed at the Pending proposal; a running flow's while its container lived.
  const leaseFrom = l.run.stateType === 'PENDING' ? l.run.since : task.stoppedAt;
  return { kind: 'act', state: l.run.stateType === 'CANCELLING' ? 'CANCELLED' : 'CRASHED', why, leaseFrom };
}

export const judge = (l: Look, facts: Facts, settings: StuckPendingSettings, now: number): Verdict =>
  l.kind === 'stranded' ? judgeStranded(l, facts, settings, now) : judgeTask(l, facts, settings, now);
