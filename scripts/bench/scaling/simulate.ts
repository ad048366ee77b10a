/**
 * Event-driven simulation of a Prefect ECS worker fleet under a scaling policy, on the semantics
 * of the worker the stack runs (lambdas/scaler/prefectWorker.ts cites each fact):
 * - a worker is ready `workerStartSeconds` after it is asked for, polls at once and then every
 *   WORKER_QUERY_SECONDS (the +-30% jitter is left out: it is the same under every policy);
 * - a poll returns runs due within WORKER_PREFETCH_SECONDS (scheduled) or created (ad-hoc),
 *   oldest first, and the worker takes as many as it has free `--limit` slots;
 * - a taken run holds its slot for `submitSeconds`, then runs (not before its due time) for its
 *   duration without holding a slot;
 * - a scale-in stops workers SCALE_IN_STOP_SECONDS after the decision (the newest first), and
 *   they poll until then; a run whose worker is stopped mid-submission stays PENDING until the
 *   scaler's sweep reschedules it (PrefectHQ/prefect#20485);
 * - the scaler's tick fires every `tickSeconds` from `tickPhaseSeconds`: a real `rate(1 minute)`
 *   rule has an arbitrary phase against the runs' due times, so run.ts tries several.
 * The delay of a run is how long after its due time a worker took it (for a stranded run, the
 * take that succeeded). Flow-run task start-up (30-60 s on Fargate) is the same under every
 * policy and left out.
 */
import { WORKER_QUERY_SECONDS } from '../../../lambdas/scaler/prefectWorker';
import type { ScalingSettings } from '../../../lambdas/scaler/policy';
import { EVENT_DEBOUNCE_SECONDS } from '../../../lambdas/scaler/triggers/debounce';
import { WEBHOOK_WINDOW_SECONDS } from '../../../lambdas/scaler/triggers/message';
import { EventQueue } from './eventQueue';
import { FleetState, type FleetView, type SimRun } from './fleet';
import type { Trace } from './traces';

export interface SimulationSettings extends ScalingSettings {
  readonly workerStartSeconds: number;
  /** Seconds between the scaler's scheduled evaluations. */
  readonly tickSeconds: number;
  /** Seconds one submission holds a `--limit` slot. */
  readonly submitSeconds: number;
  /** When the first tick fires (0 <= phase < tickSeconds). @default 0 */
  readonly tickPhaseSeconds?: number;
}

/**
 * From a scale-in decision to ECS having stopped the worker: UpdateService, the service scheduler
 * picking the task, SIGTERM (turned into SIGINT for the worker). Within the scaler's
 * SCALE_IN_MARGIN_SECONDS, which its hold assumes (lambdas/scaler/policy.ts).
 */
export const SCALE_IN_STOP_SECONDS = 15;

export interface Controller {
  readonly name: string;
  readonly initialWorkers: number;
  /** Re-evaluate on ECS task events, debounced as the scaler's handler does. */
  readonly onTaskEvents: boolean;
  /** Re-evaluate when an ad-hoc run is created (the webhook). */
  readonly onAdhocCreated: boolean;
  /** Evaluations at these times too (the oracle's plan). */
  readonly wakeTimes?: readonly number[];
  /** The new desired count, or undefined to leave it. */
  decide(view: FleetView, trigger: 'tick' | 'event'): number | undefined;
}

/** ECS task event -> EventBridge -> SQS -> Lambda; Prefect Automation -> webhook -> SQS -> Lambda. */
export const TASK_EVENT_LATENCY_SECONDS = 1;
export const WEBHOOK_LATENCY_SECONDS = 3;

export interface SimulationResult {
  readonly workerSeconds: number;
  readonly scaleActions: number;
  readonly delays: { readonly scheduled: number[]; readonly adhoc: number[] };
  readonly unserved: number;
  /** Runs left PENDING by a worker stopped mid-submission. */
  readonly stranded: number;
  readonly strandedScheduled: number;
}

type Kind = 'release' | 'submitted' | 'finish' | 'ready' | 'stop' | 'tick' | 'evaluate' | 'poll';
/** At one instant: runs appear and change state, workers stop, then policies decide, then workers poll. */
const ORDER: Record<Kind, number> = { release: 0, submitted: 1, finish: 2, ready: 3, stop: 4, tick: 5, evaluate: 6, poll: 7 };

export function simulate(trace: Trace, controller: Controller, settings: SimulationSettings): SimulationResult {
  const fleet = new FleetState(trace, { ...settings, scaleInStopSeconds: SCALE_IN_STOP_SECONDS });
  const events = new EventQueue<{ kind: Kind; run?: SimRun; worker?: number }>();
  const push = (at: number, kind: Kind, extra: { run?: SimRun; worker?: number } = {}) => events.push(at, ORDER[kind], { kind, ...extra });
  let lastEvaluation = -Infinity;
  let eventEvaluationAt: number | undefined;
  const webhookWindows = new Set<number>();

  const onTaskEvent = (at: number) => {
    if (!controller.onTaskEvents) return;
    const arrives = at + TASK_EVENT_LATENCY_SECONDS;
    if (eventEvaluationAt !== undefined && eventEvaluationAt >= arrives) return;
    eventEvaluationAt = Math.max(arrives, lastEvaluation + EVENT_DEBOUNCE_SECONDS);
    push(eventEvaluationAt, 'evaluate');
  };
  const onAdhocCreated = (at: number) => {
    const sent = at + WEBHOOK_LATENCY_SECONDS;
    const window = Math.floor(sent / WEBHOOK_WINDOW_SECONDS);
    if (!controller.onAdhocCreated || webhookWindows.has(window)) return;
    webhookWindows.add(window);
    push(sent, 'evaluate');
  };
  const setDesired = (at: number, count: number) => {
    const { started, stopping } = fleet.setDesired(at, count);
    for (const worker of started) push(fleet.workers[worker]!.readyAt, 'ready', { worker });
    for (const worker of stopping) push(fleet.workers[worker]!.stoppingAt!, 'stop', { worker });
  };

  for (const run of fleet.runs) push(run.release, 'release', { run });
  for (const at of controller.wakeTimes ?? []) push(at, 'evaluate');
  push(settings.tickPhaseSeconds ?? 0, 'tick');
  setDesired(0, controller.initialWorkers);
  // The fleet of an always-on policy is already up when the trace starts.
  for (const worker of fleet.workers) worker.readyAt = 0;
  const cutOff = Math.max(trace.horizonSeconds, ...trace.runs.map((r) => r.dueAt)) + 7 * 86_400;

  for (let next = events.pop(); next && next.at <= cutOff; next = events.pop()) {
    const { at, item } = next;
    fleet.advance(at);
    switch (item.kind) {
      case 'release':
        fleet.release(item.run!);
        if (item.run!.run.kind === 'adhoc') onAdhocCreated(at);
        break;
      case 'ready':
        push(at, 'poll', { worker: item.worker });
        break;
      case 'stop':
        fleet.stop(item.worker!, at);
        break;
      case 'poll':
        if (fleet.workers[item.worker!]!.stoppedAt !== undefined) break;
        for (const run of fleet.poll(item.worker!, at)) push(at + settings.submitSeconds, 'submitted', { run });
        if (fleet.remaining() > 0 || at < trace.horizonSeconds) push(at + WORKER_QUERY_SECONDS, 'poll', { worker: item.worker });
        break;
      case 'submitted':
        if (!fleet.submitted(item.run!, at)) break;
        push(item.run!.finishAt!, 'finish', { run: item.run });
        onTaskEvent(at);
        break;
      case 'finish':
        fleet.finish(item.run!, at);
        onTaskEvent(at);
        break;
      case 'tick':
      case 'evaluate': {
        if (item.kind === 'tick') {
          fleet.recoverStuck(at);
          if (at + settings.tickSeconds <= trace.horizonSeconds || fleet.remaining() > 0) push(at + settings.tickSeconds, 'tick');
        }
        if (at === eventEvaluationAt) eventEvaluationAt = undefined;
        lastEvaluation = at;
        const desired = controller.decide(fleet.view(at), item.kind === 'tick' ? 'tick' : 'event');
        if (desired !== undefined) setDesired(at, desired);
        break;
      }
    }
  }
  fleet.advance(Math.max(trace.horizonSeconds, fleet.clock));
  return fleet.result();
}
