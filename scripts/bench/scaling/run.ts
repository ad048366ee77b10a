/** Runs every policy over one trace and checks the scaler against the targets. */
import { backlogPerTaskController, alwaysOnController, cpuTargetTrackingController, scalerController } from './controllers';
import { planOracle } from './oracle';
import { simulate, type SimulationSettings } from './simulate';
import { delayStats, type DelayStats } from './stats';
import type { Trace } from './traces';

export const POLICY_NAMES = ['scaler', 'scaler+webhook', 'always-on', 'cpu-target-tracking', 'backlog-per-task', 'oracle'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export interface PolicyFigures {
  readonly workerHours: number;
  readonly scaleActions: number;
  readonly delaySeconds: { readonly scheduled: DelayStats; readonly adhoc: DelayStats };
  /** Runs left PENDING by a worker stopped mid-submission (recovered by the stuck-run sweep). */
  readonly stranded: number;
}

/** The settings of a run, as `--json` prints them. */
export interface BenchSettings {
  readonly tickSeconds: number;
  readonly workerStartSeconds: number;
  readonly maxWorkers: number;
  readonly lookaheadSeconds: number;
  readonly idleGraceSeconds: number;
  readonly submitSeconds: number;
  readonly submissionsPerWorker: number;
}

export interface TargetCheck {
  readonly target: string;
  readonly limit: number;
  readonly actual: number;
  readonly met: boolean;
}

export interface TraceResult {
  readonly trace: string;
  readonly runs: { readonly scheduled: number; readonly adhoc: number };
  readonly horizonHours: number;
  readonly busyPeriods: number;
  readonly policies: Record<PolicyName, PolicyFigures>;
  readonly targets: readonly TargetCheck[];
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** What `--json` prints per worker start: one line of this. */
export interface BenchReport {
  readonly settings: BenchSettings;
  readonly traces: readonly TraceResult[];
  readonly targetsMet: number;
  readonly targets: number;
}

export function benchReport(settings: SimulationSettings, traces: readonly TraceResult[]): BenchReport {
  const targets = traces.flatMap((r) => r.targets);
  return { settings: benchSettings(settings), traces, targetsMet: targets.filter((t) => t.met).length, targets: targets.length };
}

export const benchSettings = (s: SimulationSettings): BenchSettings => ({
  tickSeconds: s.tickSeconds,
  workerStartSeconds: s.workerStartSeconds,
  maxWorkers: s.maxWorkers,
  lookaheadSeconds: s.lookaheadSeconds,
  idleGraceSeconds: s.idleGraceSeconds,
  submitSeconds: s.submitSeconds,
  submissionsPerWorker: s.submissionsPerWorker,
});

export function runBench(trace: Trace, settings: SimulationSettings): TraceResult {
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
      stranded: sim.stranded,
    };
  }
  const oracle = planOracle(trace, settings);
  const oracleDelays = { scheduled: [] as number[], adhoc: [] as number[] };
  for (const run of trace.runs) oracleDelays[run.kind].push(Math.max(0, oracle.taken.get(run.id)! - run.dueAt));
  policies.oracle = {
    workerHours: round(oracle.workerSeconds / 3600),
    scaleActions: oracle.scaleActions,
    delaySeconds: { scheduled: delayStats(oracleDelays.scheduled), adhoc: delayStats(oracleDelays.adhoc) },
    stranded: 0,
  };
  // Per busy period, each worker the oracle needed at its peak may cost two ticks and a start more.
  const allowanceHours = oracle.busyPeriods.reduce((sum, p) => sum + (2 * settings.tickSeconds + settings.workerStartSeconds) * p.peakWorkers, 0) / 3600;
  const scheduled = trace.runs.filter((r) => r.kind === 'scheduled').length;
  return {
    trace: trace.name,
    runs: { scheduled, adhoc: trace.runs.length - scheduled },
    horizonHours: round(trace.horizonSeconds / 3600),
    busyPeriods: oracle.busyPeriods.length,
    policies,
    targets: checkTargets(policies, settings, allowanceHours, trace.runs.length === 0),
  };
}

/** The targets, each as limit and actual. */
export function checkTargets(p: Record<PolicyName, PolicyFigures>, s: SimulationSettings, allowanceHours: number, emptyTrace: boolean): TargetCheck[] {
  const o = p.oracle;
  const check = (target: string, actual: number, limit: number): TargetCheck => ({ target, limit: round(limit), actual: round(actual), met: actual <= limit + 1e-9 });
  const checks: TargetCheck[] = [];
  for (const name of ['scaler', 'scaler+webhook'] as const) {
    const f = p[name];
    checks.push(check(`${name}: scheduled runs wait no longer than under the oracle (max)`, f.delaySeconds.scheduled.max, o.delaySeconds.scheduled.max));
    checks.push(check(`${name}: worker-hours <= oracle + (2 ticks + start) x peak workers per busy period`, f.workerHours, o.workerHours + allowanceHours));
    checks.push(check(`${name}: no run stranded in PENDING by a scale-in`, f.stranded, 0));
    if (emptyTrace) checks.push(check(`${name}: no runs costs 0 worker-hours`, f.workerHours, 0));
  }
  checks.push(check('scaler: ad-hoc p95 <= oracle (backlog submission) + tick + start', p.scaler.delaySeconds.adhoc.p95, o.delaySeconds.adhoc.p95 + s.tickSeconds + s.workerStartSeconds));
  checks.push(check('scaler+webhook: ad-hoc p95 <= oracle + start + 5 s', p['scaler+webhook'].delaySeconds.adhoc.p95, o.delaySeconds.adhoc.p95 + s.workerStartSeconds + 5));
  return checks;
}
