/**
 * The state of a simulated fleet and its runs (simulate.ts drives it with events): which runs
 * are waiting, being submitted, stranded in PENDING, running or done; which workers are up and
 * what each is submitting; and the view of it a scaling policy gets.
 */
import { SOON_SECONDS } from '../../../lambdas/scaler/demand/bodies';
import { SUBMISSION_DONE_SECONDS, WORKER_PREFETCH_SECONDS } from '../../../lambdas/scaler/prefectWorker';
import type { Demand, ScalingSettings } from '../../../lambdas/scaler/policy';
import { peakWithinWindow } from '../../../lambdas/scaler/demand/ahead';
import type { Trace, TraceRun } from './traces';

export interface SimRun {
  readonly run: TraceRun;
  /** When a worker's poll can first return it: prefetch before its due time, or when an ad-hoc run is created. */
  readonly release: number;
  state: 'future' | 'waiting' | 'submitting' | 'stranded' | 'active' | 'done';
  /** Place in the poll order (next_scheduled_start_time): its due time, or when it was rescheduled. */
  orderKey: number;
  worker?: number;
  takenAt?: number;
  strandedAt?: number;
  finishAt?: number;
}

export interface SimWorker {
  readonly requestedAt: number;
  readyAt: number;
  /** When ECS will have stopped it (a scale-in is not instant: it still polls until then). */
  stoppingAt?: number;
  stoppedAt?: number;
  readonly submitting: Set<SimRun>;
}

/** What a policy may look at when it decides: what Prefect or CloudWatch would show it. */
export interface FleetView {
  readonly now: number;
  readonly desired: number;
  readonly readyWorkers: number;
  /** Runs running (they hold no worker slot). */
  readonly running: number;
  /** Runs a poll would return that no worker has taken yet. */
  readonly backlog: number;
  /** Submissions in flight across the fleet. */
  readonly submitting: number;
  /** The demand as the scaler reads it from Prefect (lambdas/scaler/demand/read.ts). */
  demand(settings: ScalingSettings): Demand;
}

const byOrder = (a: SimRun, b: SimRun) => a.orderKey - b.orderKey || a.run.id.localeCompare(b.run.id);

export class FleetState {
  readonly runs: SimRun[];
  readonly workers: SimWorker[] = [];
  clock = 0;
  private desired = 0;
  private scaleActions = 0;
  private workerSeconds = 0;
  private waiting: SimRun[] = [];
  private active = 0;
  private lastFinish = -Infinity;
  private stranded = 0;
  private strandedScheduled = 0;
  private done = 0;
  private readonly delays = { scheduled: [] as number[], adhoc: [] as number[] };

  constructor(
    trace: Trace,
    private readonly settings: { readonly submissionsPerWorker: number; readonly workerStartSeconds: number; readonly scaleInStopSeconds: number },
  ) {
    this.runs = [...trace.runs]
      .sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id))
      .map((run) => ({ run, release: run.kind === 'scheduled' ? Math.max(0, run.dueAt - WORKER_PREFETCH_SECONDS) : run.dueAt, state: 'future', orderKey: run.dueAt }));
  }

  private get alive(): SimWorker[] {
    return this.workers.filter((w) => w.stoppedAt === undefined);
  }

  advance(at: number): void {
    this.workerSeconds += this.alive.length * (at - this.clock);
    this.clock = at;
  }

  /** Sets the desired count; returns the workers it starts and those it stops (at their `stoppingAt`). */
  setDesired(at: number, count: number): { started: number[]; stopping: number[] } {
    if (count === this.desired) return { started: [], stopping: [] };
    this.scaleActions++;
    const started: number[] = [];
    const stopping: number[] = [];
    if (count > this.desired) {
      for (let i = this.desired; i < count; i++) {
        started.push(this.workers.length);
        this.workers.push({ requestedAt: at, readyAt: at + this.settings.workerStartSeconds, submitting: new Set() });
      }
    } else {
      // ECS stops tasks still starting first (the newest), whatever they are doing.
      const stopOrder = this.alive.filter((w) => w.stoppingAt === undefined).sort((a, b) => b.requestedAt - a.requestedAt);
      for (const worker of stopOrder.slice(0, this.desired - count)) {
        worker.stoppingAt = at + this.settings.scaleInStopSeconds;
        stopping.push(this.workers.indexOf(worker));
      }
    }
    this.desired = count;
    return { started, stopping };
  }

  /** ECS has stopped the worker: what it was submitting stays PENDING (PrefectHQ/prefect#20485). */
  stop(worker: number, at: number): void {
    const w = this.workers[worker]!;
    w.stoppedAt = at;
    for (const run of w.submitting) {
      Object.assign(run, { state: 'stranded', strandedAt: at, worker: undefined });
      this.stranded++;
      if (run.run.kind === 'scheduled') this.strandedScheduled++;
    }
    w.submitting.clear();
  }

  release(run: SimRun): void {
    run.state = 'waiting';
    this.insertWaiting(run);
  }

  private insertWaiting(run: SimRun): void {
    let low = 0;
    let high = this.waiting.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (byOrder(this.waiting[mid]!, run) <= 0) low = mid + 1;
      else high = mid;
    }
    this.waiting.splice(low, 0, run);
  }

  /** A worker polls: it takes the oldest waiting runs into its free slots. */
  poll(worker: number, at: number): SimRun[] {
    const w = this.workers[worker]!;
    const free = this.settings.submissionsPerWorker - w.submitting.size;
    const taken = free > 0 ? this.waiting.splice(0, free) : [];
    for (const run of taken) {
      Object.assign(run, { state: 'submitting', worker, takenAt: at });
      w.submitting.add(run);
    }
    return taken;
  }

  /** RunTask returned; false when the worker was stopped first (the run is stranded). */
  submitted(run: SimRun, at: number): boolean {
    if (run.state !== 'submitting') return false;
    this.workers[run.worker!]!.submitting.delete(run);
    run.state = 'active';
    run.finishAt = Math.max(at, run.run.dueAt) + run.run.durationSeconds;
    (run.run.kind === 'scheduled' ? this.delays.scheduled : this.delays.adhoc).push(Math.max(0, run.takenAt! - run.run.dueAt));
    this.active++;
    return true;
  }

  finish(run: SimRun, at: number): void {
    run.state = 'done';
    this.active--;
    this.done++;
    this.lastFinish = at;
  }

  /**
   * The scaler's sweep reschedules a stranded run on the first tick at which it has been
   * Submitting for SUBMISSION_DONE_SECONDS: its worker's task has stopped by then
   * (lambdas/scaler/stuck/classify.ts).
   */
  recoverStuck(at: number): void {
    for (const run of this.runs) {
      if (run.state !== 'stranded' || at - run.takenAt! < SUBMISSION_DONE_SECONDS) continue;
      Object.assign(run, { state: 'waiting', orderKey: at });
      this.insertWaiting(run);
    }
  }

  remaining(): number {
    return this.runs.length - this.done;
  }

  view(now: number): FleetView {
    const submitting = this.alive.reduce((sum, w) => sum + w.submitting.size, 0);
    return {
      now,
      desired: this.desired,
      readyWorkers: this.alive.filter((w) => w.readyAt <= now).length,
      running: this.active,
      backlog: this.waiting.length,
      submitting,
      demand: (s) => this.demand(now, s, submitting),
    };
  }

  private demand(now: number, s: ScalingSettings, submitting: number): Demand {
    const later: number[] = [];
    let soon = 0;
    for (const run of this.runs) {
      if (run.run.dueAt > now + s.lookaheadSeconds) break;
      if (run.state !== 'future' || run.run.kind !== 'scheduled') continue;
      later.push(run.run.dueAt);
      if (run.run.dueAt <= now + SOON_SECONDS) soon++;
    }
    const enough = Math.min(200, s.maxWorkers * s.submissionsPerWorker + 1);
    const peakAhead = later.length > s.submissionsPerWorker ? peakWithinWindow(later.slice(0, enough), WORKER_PREFETCH_SECONDS) : later.length;
    const stranded = this.runs.filter((r) => r.state === 'stranded');
    // As demand/read.ts: a run Submitting longer than SUBMISSION_DONE_SECONDS is no backlog.
    const young = stranded.filter((r) => now - r.takenAt! < SUBMISSION_DONE_SECONDS).length;
    return {
      due: this.waiting.length + later.length,
      dueNow: this.waiting.length,
      awaitingSlot: 0,
      dueSoon: this.waiting.length + soon,
      peakAhead,
      untakeable: 0,
      pending: submitting + stranded.length,
      submitting: submitting + young,
      running: this.active,
      cancelling: 0,
      ignored: {},
      endedWithinGrace: s.idleGraceSeconds > 0 ? this.lastFinish >= now - s.idleGraceSeconds : undefined,
    };
  }

  result() {
    return {
      workerSeconds: this.workerSeconds,
      scaleActions: this.scaleActions,
      delays: this.delays,
      unserved: this.runs.length - this.done - this.active,
      stranded: this.stranded,
      strandedScheduled: this.strandedScheduled,
    };
  }
}
