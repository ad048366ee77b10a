import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alwaysOnController, scalerController } from '../../scripts/bench/scaling/controllers';
import { defaultSettings } from '../../scripts/bench/scaling/defaults';
import { planOracle } from '../../scripts/bench/scaling/oracle';
import { benchReport, runBench, TICK_PHASES_SECONDS } from '../../scripts/bench/scaling/run';
import { SCALE_IN_STOP_SECONDS, simulate, type Controller } from '../../scripts/bench/scaling/simulate';
import { delayStats, percentile } from '../../scripts/bench/scaling/stats';
import { BUILT_IN_TRACES, loadTraceFile, parseTrace, type Trace, type TraceRun } from '../../scripts/bench/scaling/traces';
import { TraceFormatError } from '../../scripts/lib/errors';

const settings = defaultSettings(60);
const oracleSettings = { ...settings, stopSeconds: SCALE_IN_STOP_SECONDS };
const byName = (name: string) => BUILT_IN_TRACES.map((make) => make()).find((t) => t.name === name)!;
const trace = (runs: Trace['runs'], horizonSeconds = 7200): Trace => ({ name: 't', horizonSeconds, runs });
const adhoc = (id: string, dueAt: number, durationSeconds = 300): TraceRun => ({ id, kind: 'adhoc', dueAt, durationSeconds });
const scheduledRun = (id: string, dueAt: number, durationSeconds = 300): TraceRun => ({ id, kind: 'scheduled', dueAt, durationSeconds });

/** A fixed fleet of `workers`, from the start: isolates the worker model from any policy. */
const fixed = (workers: number): Controller => ({ name: 'fixed', initialWorkers: workers, onTaskEvents: false, onAdhocCreated: false, decide: () => undefined });

describe('trace files', () => {
  it.each<[string, unknown, RegExp]>([
    ['not an object', [], /must be a JSON object/],
    ['no name', { horizonSeconds: 1, runs: [] }, /"name" must be a non-empty string/],
    ['a bad kind', { name: 'x', horizonSeconds: 100, runs: [{ id: 'a', kind: 'cron', dueAt: 1, durationSeconds: 1 }] }, /runs\[0\]\.kind must be "scheduled" or "adhoc" \(got "cron"\)/],
    ['a run after the horizon', { name: 'x', horizonSeconds: 100, runs: [{ id: 'a', kind: 'adhoc', dueAt: 101, durationSeconds: 1 }] }, /runs\[0\]\.dueAt/],
    ['a duplicate id', { name: 'x', horizonSeconds: 100, runs: [{ id: 'a', kind: 'adhoc', dueAt: 1, durationSeconds: 1 }, { id: 'a', kind: 'adhoc', dueAt: 2, durationSeconds: 1 }] }, /runs\[1\]\.id "a" is used twice/],
    ['a zero duration', { name: 'x', horizonSeconds: 100, runs: [{ id: 'a', kind: 'adhoc', dueAt: 1, durationSeconds: 0 }] }, /durationSeconds must be a positive number/],
  ])('rejects %s naming the field', (_name, value, message) => {
    expect(() => parseTrace(value, 'my.json')).toThrow(TraceFormatError);
    expect(() => parseTrace(value, 'my.json')).toThrow(message);
  });

  it('loads a valid file and names an unreadable or non-JSON one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-trace-'));
    try {
      const good = path.join(dir, 'good.json');
      fs.writeFileSync(good, JSON.stringify({ name: 'mine', horizonSeconds: 600, runs: [{ id: 'a', kind: 'adhoc', dueAt: 10, durationSeconds: 5 }] }));
      expect(loadTraceFile(good).runs).toHaveLength(1);
      fs.writeFileSync(path.join(dir, 'bad.json'), '{nope');
      expect(() => loadTraceFile(path.join(dir, 'bad.json'))).toThrow(/bad\.json: is not JSON/);
      expect(() => loadTraceFile(path.join(dir, 'missing.json'))).toThrow(/^--trace .*missing\.json does not exist$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the same built-in traces every time, the issue\'s 24 six-hour runs and 400-run burst among them', () => {
    for (const make of BUILT_IN_TRACES) expect(make()).toEqual(make());
    expect(BUILT_IN_TRACES.map((make) => make().name)).toEqual(['nightly-batch', 'hourly-etl', 'business-hours-adhoc', 'idle-week', 'spike-200', 'hourly-bursts-30', 'long-runs', 'burst-400']);
    const long = byName('long-runs');
    expect(long.runs).toHaveLength(24);
    expect(new Set(long.runs.map((r) => `${r.kind}@${r.dueAt}/${r.durationSeconds}`))).toEqual(new Set(['scheduled@3600/21600']));
  });
});

describe('statistics', () => {
  it('uses nearest-rank percentiles and 0 for no runs', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 95)).toBe(4);
    expect(delayStats([])).toEqual({ p50: 0, p95: 0, max: 0 });
  });
});

describe('the simulated worker (prefect-aws 0.7.7 semantics)', () => {
  it('holds a --limit slot only while it submits: one worker with 10 slots runs 24 long runs at once', () => {
    const runs = Array.from({ length: 24 }, (_, i) => adhoc(`r${i}`, 600, 6 * 3600));
    const result = simulate(trace(runs, 8 * 3600), fixed(1), settings);
    // Taken 10 per poll, every 10 s: at 600, 610 and 620; none waits for a run to finish.
    expect(delayStats(result.delays.adhoc)).toEqual({ p50: 10, p95: 20, max: 20 });
  });

  it('takes a scheduled run up to the prefetch window before it is due, so it waits 0 s', () => {
    expect(simulate(trace([scheduledRun('s', 1805)]), fixed(1), settings).delays.scheduled).toEqual([0]);
  });

  it('strands the runs a stopped worker was submitting until the sweep finds its worker stopped', () => {
    let stopped = false;
    const stopOnce: Controller = { ...fixed(1), name: 'stop', onTaskEvents: false, wakeTimes: [588], decide: (v) => (v.now === 588 && !stopped ? ((stopped = true), 0) : v.now >= 1200 ? 1 : undefined) };
    const result = simulate(trace([adhoc('a', 600)], 4 * 3600), stopOnce, settings);
    expect(result.stranded).toBe(1);
    // Asked to stop at 588, it still polls at 600 and takes the run; stopped at 603 mid-submission
    // (it needs until 605); the tick at 660 reschedules it (taken 60 s before), and the worker
    // asked for at 1200 takes it when ready at 1260.
    expect(588 + SCALE_IN_STOP_SECONDS).toBe(603);
    expect(result.delays.adhoc).toEqual([660]);
  });

  it('fires the tick at its phase', () => {
    const ticks: number[] = [];
    const watch: Controller = { ...fixed(0), name: 'watch', decide: (v, trigger) => void (trigger === 'tick' && ticks.push(v.now)) };
    simulate(trace([], 300), watch, { ...settings, tickPhaseSeconds: 37 });
    expect(ticks).toEqual([37, 97, 157, 217, 277]);
  });
});

describe('oracle', () => {
  it('has one worker ready exactly when the first run can be taken, stopped when the last one ends', () => {
    const plan = planOracle(trace([adhoc('a', 600, 100)]), oracleSettings);
    expect(plan.taken.get('a')).toBe(600);
    expect(plan.busyPeriods).toEqual([{ from: 600, to: 605 + 100, peakWorkers: 1 }]);
    expect(plan.workerSeconds).toBe(705 - 600 + 60 + SCALE_IN_STOP_SECONDS);
  });

  it('adds workers only for the polls that need them (25 runs at once: 3 workers for one poll)', () => {
    const plan = planOracle(trace(Array.from({ length: 25 }, (_, i) => adhoc(`r${i}`, 600, 100))), oracleSettings);
    expect(new Set(plan.taken.values())).toEqual(new Set([600]));
    expect(plan.busyPeriods[0]!.peakWorkers).toBe(3);
    // The base worker for the period, plus two extra workers for one 5-second submission each; each takes as long to stop.
    expect(plan.workerSeconds).toBe(705 - 600 + 60 + 2 * (5 + 60) + 3 * SCALE_IN_STOP_SECONDS);
  });

  it('bridges a gap shorter than a worker start instead of restarting', () => {
    const plan = planOracle(trace([scheduledRun('a', 600, 100), scheduledRun('b', 750, 100)]), oracleSettings);
    expect(plan.busyPeriods).toHaveLength(1);
    expect(plan.workerSeconds).toBe(850 - 590 + 60 + SCALE_IN_STOP_SECONDS);
  });
});

describe('scaler in the simulation', () => {
  it('costs nothing on an idle trace, a full horizon always-on', () => {
    expect(simulate(trace([], 3600), scalerController(settings, false), settings).workerSeconds).toBe(0);
    expect(simulate(trace([], 3600), alwaysOnController(), settings).workerSeconds).toBe(3600);
  });

  it('has a worker ready when a scheduled run is due (look-ahead covers start and tick)', () => {
    const result = simulate(trace([scheduledRun('a', 1800)]), scalerController(settings, false), settings);
    expect(result.delays.scheduled).toEqual([0]);
    expect(result.scaleActions).toBe(2);
    expect(result.unserved).toBe(0);
  });

  it('makes an ad-hoc run wait one start plus webhook latency with the webhook, up to a tick more without', () => {
    const run = [adhoc('a', 1830)];
    expect(simulate(trace(run), scalerController(settings, true), settings).delays.adhoc).toEqual([63]);
    expect(simulate(trace(run), scalerController(settings, false), settings).delays.adhoc).toEqual([90]);
  });

  it('keeps one worker, not three, while 24 six-hour runs run, and strands nothing', () => {
    const { policies } = runBench(byName('long-runs'), settings);
    expect(policies.scaler.delaySeconds.scheduled.max).toBe(0);
    expect(policies.scaler.workerHours).toBeLessThan(6.5);
    expect(policies.scaler.stranded).toBe(0);
  });

  it('reports every policy under its documented name, the settings of the issue, and the targets', () => {
    const result = runBench(BUILT_IN_TRACES[1]!(), settings);
    expect(Object.keys(result.policies)).toEqual(['scaler', 'scaler+webhook', 'scaler-per-tick', 'scaler-per-tick+webhook', 'always-on', 'cpu-target-tracking', 'backlog-per-task', 'oracle']);
    expect(result.policies['always-on'].workerHours).toBe(168);
    expect(result.targets.length).toBeGreaterThan(5);
    for (const t of result.targets) expect(t).toEqual({ target: expect.any(String), limit: expect.any(Number), actual: expect.any(Number), met: expect.any(Boolean) });
  });
});

describe('honest targets', () => {
  it('reports the worst tick phase: a phase aligned with the runs\' due times would flatter a slow worker start', () => {
    const slow = defaultSettings(120);
    const nightly = byName('nightly-batch');
    const perPhase = TICK_PHASES_SECONDS.map((tickPhaseSeconds) => simulate(nightly, scalerController(slow, false), { ...slow, tickPhaseSeconds }).delays.scheduled);
    const worstWait = Math.max(...perPhase.flat());
    expect(Math.max(...perPhase[0]!)).toBe(0);
    expect(worstWait).toBeGreaterThan(0);
    expect(runBench(nightly, slow).policies.scaler.delaySeconds.scheduled.max).toBe(worstWait);
    expect(runBench(nightly, slow).targets.find((t) => t.target.startsWith('scaler: scheduled runs wait 0 s'))).toMatchObject({ limit: 0, met: false });
  });

  it('allows two ticks and one worker start per busy period, not per worker', () => {
    const result = runBench(byName('spike-200'), settings);
    const hours = result.targets.find((t) => t.target.startsWith('scaler: worker-hours'))!;
    expect(hours.limit).toBeCloseTo(result.policies.oracle.workerHours + (result.busyPeriods * (2 * 60 + 60)) / 3600, 3);
  });

  it('prints runsPerWorker in --json settings, the old name of submissionsPerWorker', () => {
    expect(benchReport(settings, []).settings).toMatchObject({ submissionsPerWorker: 10, runsPerWorker: 10, submitSeconds: 5, tickPhasesSeconds: TICK_PHASES_SECONDS });
  });
});
