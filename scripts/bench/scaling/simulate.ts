/**
 * Event-driven simulation of a worker fleet under a scaling policy. Time is in seconds. A worker
 * is ready `workerStartSeconds` after it is asked for; a ready worker takes up to
 * `runsPerWorker` runs; runs start first-come first-served when due and a slot is free. The
 * delay of a run is how long it waited past its due time for a worker. Poll intervals and
 * flow-run task start-up are the same under every policy and left out.
 */
import { decideDesiredCount, type Demand, type ScalingSettings } from '../../../lambdas/scaler/policy';
import type { Trace, TraceRun } from './traces';

export interface SimulationSettings extends ScalingSettings {
  readonly tickSeconds: number;
  readonly workerStartSeconds: number;
}

/** What a policy may look at when it decides: what Prefect or CloudWatch would show it. */
export interface FleetView {
  readonly now: number;
  readonly desired: number;
  readonly readyWorkers: number;
  readonly running: number;
  /** Due runs that no worker has taken yet (Late, in Prefect's words). */
  readonly backlog: number;
  demand(lookaheadSeconds: number, idleGraceSeconds: number): Demand;
}

export interface Controller {
  readonly name: string;
  readonly initialWorkers: number;
  /** Re-evaluate when a flow-run task starts or stops (EventBridge ECS task events). */
  readonly onTaskEvents: boolean;
  /** Re-evaluate when an ad-hoc run is created (the webhook). */
  readonly onAdhocCreated: boolean;
  /** The new desired count, or undefined to leave it. Called on every tick and on events. */
  decide(view: FleetView, trigger: 'tick' | 'event'): number | undefined;
}

/** EventBridge delivers ECS task events in about a second; the webhook round trip takes a few. */
export const TASK_EVENT_LATENCY_SECONDS = 1;
export const WEBHOOK_LATENCY_SECONDS = 3;

export interface SimulationResult {
  readonly workerSeconds: number;
  readonly scaleActions: number;
  readonly delays: { readonly scheduled: number[]; readonly adhoc: number[] };
  readonly unserved: number;
}

type Event = { at: number; order: number; seq: number; kind: 'ready' | 'finish' | 'due' | 'tick' | 'evaluate'; run?: TraceRun; worker?: Worker };
interface Worker {
  readyAt: number;
  stopped: boolean;
}

/** Min-heap of events by time, then kind (ready, finish, due before decisions), then insertion: stable. */
class EventQueue {
  private readonly heap: Event[] = [];
  push(event: Event): void {
    this.heap.push(event);
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(this.heap[i]!, this.heap[parent]!)) break;
      [this.heap[i], this.heap[parent]] = [this.heap[parent]!, this.heap[i]!];
      i = parent;
    }
  }
  pop(): Event | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (this.heap.length > 0 && last) {
      this.heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.heap.length && this.before(this.heap[l]!, this.heap[m]!)) m = l;
        if (r < this.heap.length && this.before(this.heap[r]!, this.heap[m]!)) m = r;
        if (m === i) break;
        [this.heap[i], this.heap[m]] = [this.heap[m]!, this.heap[i]!];
        i = m;
      }
    }
    return top;
  }
  peek(): Event | undefined {
    return this.heap[0];
  }
  private before(a: Event, b: Event): boolean {
    return a.at < b.at || (a.at === b.at && (a.order < b.order || (a.order === b.order && a.seq < b.seq)));
  }
}

const ORDER = { ready: 0, finish: 1, due: 2, tick: 3, evaluate: 4 } as const;

export function simulate(trace: Trace, controller: Controller, settings: SimulationSettings): SimulationResult {
  const events = new EventQueue();
  let seq = 0;
  const push = (at: number, kind: Event['kind'], extra: Partial<Event> = {}) => events.push({ at, order: ORDER[kind], seq: seq++, kind, ...extra });
  // First come, first served; runs due at the same second in id order (as the oracle orders them).
  const unstarted = [...trace.runs].sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id));
  const due: TraceRun[] = [];
  let running = 0;
  let lastFinish = -Infinity;
  let workers: Worker[] = [];
  let desired = 0;
  let scaleActions = 0;
  let workerSeconds = 0;
  let clock = 0;
  const delays = { scheduled: [] as number[], adhoc: [] as number[] };
  const lastEvent = Math.max(trace.horizonSeconds, ...trace.runs.map((r) => r.dueAt));

  for (const run of unstarted) push(run.dueAt, 'due', { run });
  for (let t = 0; t <= trace.horizonSeconds; t += settings.tickSeconds) push(t, 'tick');

  const setDesired = (now: number, count: number) => {
    if (count === desired) return;
    scaleActions++;
    if (count > desired) {
      for (let i = desired; i < count; i++) {
        const worker = { readyAt: now + settings.workerStartSeconds, stopped: false };
        workers.push(worker);
        push(worker.readyAt, 'ready', { worker });
      }
    } else {
      // ECS stops tasks still starting first; flow runs are separate tasks and keep running.
      const stopOrder = [...workers].sort((a, b) => b.readyAt - a.readyAt);
      for (const worker of stopOrder.slice(0, desired - count)) worker.stopped = true;
      workers = workers.filter((w) => !w.stopped);
    }
    desired = count;
  };
  setDesired(0, controller.initialWorkers);
  // The fleet of an always-on policy is already up when the trace starts.
  for (const worker of workers) worker.readyAt = 0;

  const view = (now: number): FleetView => ({
    now,
    desired,
    readyWorkers: workers.filter((w) => w.readyAt <= now).length,
    running,
    backlog: due.length,
    demand(lookahead, grace) {
      let dueSoon = due.length;
      for (const run of unstarted) {
        if (run.dueAt > now + lookahead) break;
        if (run.dueAt > now && run.kind === 'scheduled') dueSoon++;
      }
      return { dueSoon, pending: 0, running, cancelling: 0, endedWithinGrace: lastFinish >= now - grace };
    },
  });

  const startRuns = (now: number) => {
    const capacity = workers.filter((w) => w.readyAt <= now).length * settings.runsPerWorker;
    while (due.length > 0 && running < capacity) {
      const run = due.shift()!;
      running++;
      (run.kind === 'scheduled' ? delays.scheduled : delays.adhoc).push(now - run.dueAt);
      push(now + run.durationSeconds, 'finish', { run });
      if (controller.onTaskEvents) push(now + TASK_EVENT_LATENCY_SECONDS, 'evaluate');
    }
  };

  for (let event = events.pop(); event; event = events.pop()) {
    workerSeconds += workers.length * (event.at - clock);
    clock = event.at;
    switch (event.kind) {
      case 'ready':
        break;
      case 'finish':
        running--;
        lastFinish = event.at;
        if (controller.onTaskEvents) push(event.at + TASK_EVENT_LATENCY_SECONDS, 'evaluate');
        break;
      case 'due': {
        const run = event.run!;
        unstarted.splice(unstarted.indexOf(run), 1);
        due.push(run);
        if (run.kind === 'adhoc' && controller.onAdhocCreated) push(event.at + WEBHOOK_LATENCY_SECONDS, 'evaluate');
        break;
      }
      case 'tick':
      case 'evaluate': {
        const next = controller.decide(view(event.at), event.kind === 'tick' ? 'tick' : 'event');
        if (next !== undefined) setDesired(event.at, next);
        break;
      }
    }
    // Only once every event of this instant is applied do workers take runs.
    if (events.peek()?.at !== event.at) startRuns(event.at);
    // Runs still going at the horizon are followed to their end; a policy that never serves is cut off.
    if (event.at > lastEvent + 7 * 86_400) break;
  }
  return { workerSeconds, scaleActions, delays, unserved: due.length + unstarted.length };
}

/** This project's scaler: the real policy module, on the 1-minute tick and on task events. */
export function scalerController(settings: ScalingSettings, withWebhook: boolean): Controller {
  return {
    name: withWebhook ? 'scaler+webhook' : 'scaler',
    initialWorkers: settings.minWorkers,
    onTaskEvents: true,
    onAdhocCreated: withWebhook,
    decide: (view) => decideDesiredCount(view.desired, view.demand(settings.lookaheadSeconds, settings.idleGraceSeconds), settings).desired,
  };
}

export const alwaysOnController = (): Controller => ({
  name: 'always-on',
  initialWorkers: 1,
  onTaskEvents: false,
  onAdhocCreated: false,
  decide: () => undefined,
});

/**
 * Target tracking on CloudWatch metrics with 1-minute datapoints: scale out after 3 breaching
 * datapoints, scale in after 15, as Application Auto Scaling's target-tracking alarms do.
 */
function targetTracking(name: string, minWorkers: number, maxWorkers: number, target: number, metric: (view: FleetView) => number | undefined): Controller {
  let above = 0;
  let below = 0;
  return {
    name,
    initialWorkers: Math.max(1, minWorkers),
    onTaskEvents: false,
    onAdhocCreated: false,
    decide(view, trigger) {
      if (trigger !== 'tick') return undefined;
      const value = metric(view);
      if (value === undefined) return undefined; // no datapoint: the alarm has insufficient data
      above = value > target ? above + 1 : 0;
      below = value < target * 0.9 ? below + 1 : 0;
      const proposed = Math.min(maxWorkers, Math.max(minWorkers, Math.ceil((Math.max(view.desired, 1) * value) / target)));
      if (above >= 3 && proposed > view.desired) return (above = 0), proposed;
      if (below >= 15 && proposed < view.desired) return (below = 0), proposed;
      return undefined;
    },
  };
}

/**
 * Prefect's CLI worker template: CPU target tracking, minimum 1. A Prefect ECS worker only
 * submits and watches flow-run tasks, so its CPU is modelled as 2% plus 3% per run it watches;
 * against a 75% target it never scales out, whatever is queued.
 */
export const cpuTargetTrackingController = (s: ScalingSettings): Controller =>
  targetTracking('cpu-target-tracking', 1, s.maxWorkers, 75, (v) =>
    v.readyWorkers === 0 ? undefined : 2 + (3 * v.running) / v.readyWorkers,
  );

/**
 * AWS Copilot's backlog-per-task scaling: queued (due, untaken) runs per running worker against
 * an acceptable backlog of runs-per-worker. With no running task there is no datapoint, so it
 * cannot scale out from zero: it needs a minimum of 1.
 */
export const backlogPerTaskController = (s: ScalingSettings): Controller =>
  targetTracking('backlog-per-task', 1, s.maxWorkers, s.runsPerWorker, (v) => (v.readyWorkers === 0 ? undefined : v.backlog / v.readyWorkers));
