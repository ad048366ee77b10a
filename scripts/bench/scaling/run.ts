/** Runs every policy over one trace and checks the scaler against the oracle's targets. */
import { planOracle } from './oracle';
import {
  alwaysOnController,
  backlogPerTaskController,
  cpuTargetTrackingController,
  scalerController,
  simulate,
  type SimulationSettings,
} from './simulate';
import { delayStats, type DelayStats } from './stats';
import type { Trace } from './traces';

export const POLICY_NAMES = ['scaler', 'scaler+webhook', 'always-on', 'cpu-target-tracking', 'backlog-per-task', 'oracle'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export interface PolicyFigures {
  readonly workerHours: number;
  readonly scaleActions: number;
  readonly delaySeconds: { readonly scheduled: DelayStats; readonly adhoc: DelayStats };
}

export interface BenchResult {
  readonly trace: string;
  readonly settings: {
    readonly tickSeconds: number;
    readonly workerStartSeconds: number;
    readonly maxWorkers: number;
    readonly runsPerWorker: number;
    readonly lookaheadSeconds: number;
    readonly idleGraceSeconds: number;
  };
  readonly policies: Record<PolicyName, PolicyFigures>;
}

export interface TargetCheck {
  readonly target: string;
  readonly limit: number;
  readonly actual: number;
  readonly met: boolean;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

export function runBench(trace: Trace, settings: SimulationSettings): { result: BenchResult; targets: TargetCheck[] } {
  const policies = {} as Record<PolicyName, PolicyFigures>;
  const controllers = [
    scalerController(settings, false),
    scalerController(settings, true),
    alwaysOnController(),
    cpuTargetTrackingController(settings),
    backlogPerTaskController(settings),
  ];
  for (const controller of controllers) {
    const sim = simulate(trace, controller, settings);
    policies[controller.name as PolicyName] = {
      workerHours: round(sim.workerSeconds / 3600),
      scaleActions: sim.scaleActions,
      delaySeconds: { scheduled: delayStats(sim.delays.scheduled), adhoc: delayStats(sim.delays.adhoc) },
    };
  }
  const oracle = planOracle(trace, settings.maxWorkers, settings.runsPerWorker, settings.workerStartSeconds);
  const oracleDelays = { scheduled: [] as number[], adhoc: [] as number[] };
  for (const run of trace.runs) oracleDelays[run.kind].push(oracle.starts.get(run.id)! - run.dueAt);
  policies.oracle = {
    workerHours: round(oracle.workerSeconds / 3600),
    scaleActions: oracle.scaleActions,
    delaySeconds: { scheduled: delayStats(oracleDelays.scheduled), adhoc: delayStats(oracleDelays.adhoc) },
  };
  const result: BenchResult = {
    trace: trace.name,
    settings: {
      tickSeconds: settings.tickSeconds,
      workerStartSeconds: settings.workerStartSeconds,
      maxWorkers: settings.maxWorkers,
      runsPerWorker: settings.runsPerWorker,
      lookaheadSeconds: settings.lookaheadSeconds,
      idleGraceSeconds: settings.idleGraceSeconds,
    },
    policies,
  };
  const allowanceHours = oracle.busyPeriods.reduce((sum, p) => sum + (settings.tickSeconds + settings.workerStartSeconds) * p.peakWorkers, 0) / 3600;
  return { result, targets: checkTargets(result, allowanceHours, trace.runs.length === 0) };
}

/** The targets, each as limit and actual. */
export function checkTargets(r: BenchResult, allowanceHours: number, emptyTrace: boolean): TargetCheck[] {
  const o = r.policies.oracle;
  const s = r.settings;
  const check = (target: string, actual: number, limit: number): TargetCheck => ({ target, limit: round(limit), actual: round(actual), met: actual <= limit + 1e-9 });
  const checks: TargetCheck[] = [];
  for (const name of ['scaler', 'scaler+webhook'] as const) {
    const p = r.policies[name];
    checks.push(check(`${name}: scheduled p95 <= oracle`, p.delaySeconds.scheduled.p95, o.delaySeconds.scheduled.p95));
    checks.push(check(`${name}: scheduled max <= oracle`, p.delaySeconds.scheduled.max, o.delaySeconds.scheduled.max));
    checks.push(check(`${name}: worker-hours <= oracle + (tick + start) x peak workers per busy period`, p.workerHours, o.workerHours + allowanceHours));
    if (emptyTrace) checks.push(check(`${name}: no runs costs 0 worker-hours`, p.workerHours, 0));
  }
  checks.push(check('scaler: ad-hoc p95 <= oracle + tick + start', r.policies.scaler.delaySeconds.adhoc.p95, o.delaySeconds.adhoc.p95 + s.tickSeconds + s.workerStartSeconds));
  checks.push(check('scaler+webhook: ad-hoc p95 <= oracle + start + 5 s', r.policies['scaler+webhook'].delaySeconds.adhoc.p95, o.delaySeconds.adhoc.p95 + s.workerStartSeconds + 5));
  return checks;
}
