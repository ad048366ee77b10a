/**
 * The policies the benchmark compares: this project's scaler (the real policy module) with and
 * without its webhook, one always-on worker, Prefect's CLI template (CPU target tracking) and AWS
 * Copilot's backlog-per-task scaling. All serve the same simulated worker (simulate.ts).
 */
import { decideDesiredCount, type ScalingSettings } from '../../../lambdas/scaler/policy';
import { WORKER_QUERY_SECONDS } from '../../../lambdas/scaler/prefectWorker';
import type { FleetView } from './fleet';
import type { Controller } from './simulate';

/**
 * This project's scaler: the real policy module, on the 1-minute tick and on task events. With
 * `perTick`, the other reading of "a backlog the fleet cannot submit within a tick": more workers
 * only for what the fleet cannot take in a tick's worth of polls (README "Why per poll").
 */
export function scalerController(settings: ScalingSettings & { readonly tickSeconds: number }, withWebhook: boolean, perTick = false): Controller {
  const backlogPolls = perTick ? settings.tickSeconds / WORKER_QUERY_SECONDS : 1;
  return {
    name: `scaler${perTick ? '-per-tick' : ''}${withWebhook ? '+webhook' : ''}`,
    initialWorkers: settings.minWorkers,
    onTaskEvents: true,
    onAdhocCreated: withWebhook,
    decide: (view) => decideDesiredCount(view.desired, view.demand(settings), settings, backlogPolls).desired,
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
 * Prefect's CLI worker template: CPU target tracking, minimum 1. A Prefect ECS worker only waits
 * on API calls while it submits, and no longer watches running flow runs (the ECS observer reads
 * their events), so its CPU is modelled as 2% plus 3% per submission in flight; against a 75%
 * target it never scales out, whatever is queued.
 */
export const cpuTargetTrackingController = (s: ScalingSettings): Controller =>
  targetTracking('cpu-target-tracking', 1, s.maxWorkers, 75, (v) => (v.readyWorkers === 0 ? undefined : 2 + (3 * v.submitting) / v.readyWorkers));

/**
 * AWS Copilot's backlog-per-task scaling: queued (due, untaken) runs per running worker against
 * an acceptable backlog of one worker's submissions per tick. With no running task there is no
 * datapoint, so it cannot scale out from zero: it needs a minimum of 1.
 */
export const backlogPerTaskController = (s: ScalingSettings): Controller =>
  targetTracking('backlog-per-task', 1, s.maxWorkers, s.submissionsPerWorker, (v) => (v.readyWorkers === 0 ? undefined : v.backlog / v.readyWorkers));
