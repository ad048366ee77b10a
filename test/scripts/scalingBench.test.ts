import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alwaysOnController, scalerController } from '../../scripts/bench/scaling/controllers';
import { defaultSettings } from '../../scripts/bench/scaling/defaults';
import { planOracle } from '../../scripts/bench/scaling/oracle';
import { runBench } from '../../scripts/bench/scaling/run';
import { simulate, type Controller } from '../../scripts/bench/scaling/simulate';
import { delayStats, percentile } from '../../scripts/bench/scaling/stats';
import { BUILT_IN_TRACES, loadTraceFile, parseTrace, type Trace, type TraceRun } from '../../scripts/bench/scaling/traces';
import { TraceFormatError } from '../../scripts/lib/errors';

const settings = defaultSettings(60);
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
    expect(BUILT_IN_TRACES.map((make) => make().name)).toEqual(['nightly-batch', 'hourly-etl', 'business-hours-adhoc', 'idle-week', 'spike-200', 'long-runs', 'burst-400']);
    const long = BUILT_IN_TRACES[5]!();
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

  it('strands the runs a stopped worker was submitting until the stuck-run sweep reschedules them', () => {
    let stopped = false;
    const stopOnce: Controller = { ...fixed(1), name: 'stop', onTaskEvents: false, wakeTimes: [602], decide: (v) => (v.now === 602 && !stopped ? ((stopped = true), 0) : v.now >= 1200 ? 1 : undefined) };
    const result = simulate(trace([adhoc('a', 600)], 4 * 3600), stopOnce, { ...settings, stuckPendingSeconds: 600 });
    expect(result.stranded).toBe(1);
    // Taken at 600 by the first worker, stranded at 602, rescheduled on the tick at 1260, taken at 1260.
    expect(result.delays.adhoc).toEqual([660]);
  });
});

describe('oracle', () => {
  it('has one worker ready exactly when the first run can be taken, stopped when the last one ends', () => {
    const plan = planOracle(trace([adhoc('a', 600, 100)]), settings);
    expect(plan.taken.get('a')).toBe(600);
    expect(plan.busyPeriods).toEqual([{ from: 600, to: 605 + 100, peakWorkers: 1 }]);
    expect(plan.workerSeconds).toBe(705 - 600 + 60);
  });

  it('adds workers only for the polls that need them (25 runs at once: 3 workers for one poll)', () => {
    const plan = planOracle(trace(Array.from({ length: 25 }, (_, i) => adhoc(`r${i}`, 600, 100))), settings);
    expect(new Set(plan.taken.values())).toEqual(new Set([600]));
    expect(plan.busyPeriods[0]!.peakWorkers).toBe(3);
    // The base worker for the period, plus two extra workers for one 5-second submission each.
    expect(plan.workerSeconds).toBe(705 - 600 + 60 + 2 * (5 + 60));
  });

  it('bridges a gap shorter than a worker start instead of restarting', () => {
    const plan = planOracle(trace([scheduledRun('a', 600, 100), scheduledRun('b', 750, 100)]), settings);
    expect(plan.busyPeriods).toHaveLength(1);
    expect(plan.workerSeconds).toBe(850 - 590 + 60);
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
    const { policies } = runBench(BUILT_IN_TRACES[5]!(), settings);
    expect(policies.scaler.delaySeconds.scheduled.max).toBe(0);
    expect(policies.scaler.workerHours).toBeLessThan(6.5);
    expect(policies.scaler.stranded).toBe(0);
  });

  it('reports every policy under its documented name, the settings of the issue, and the targets', () => {
    const result = runBench(BUILT_IN_TRACES[1]!(), settings);
    expect(Object.keys(result.policies)).toEqual(['scaler', 'scaler+webhook', 'always-on', 'cpu-target-tracking', 'backlog-per-task', 'oracle']);
    expect(result.policies['always-on'].workerHours).toBe(168);
    expect(result.targets.length).toBeGreaterThan(5);
    for (const t of result.targets) expect(t).toEqual({ target: expect.any(String), limit: expect.any(Number), actual: expect.any(Number), met: expect.any(Boolean) });
  });
});
