import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planOracle } from '../../scripts/bench/scaling/oracle';
import { runBench } from '../../scripts/bench/scaling/run';
import { alwaysOnController, scalerController, simulate, type SimulationSettings } from '../../scripts/bench/scaling/simulate';
import { delayStats, percentile } from '../../scripts/bench/scaling/stats';
import { BUILT_IN_TRACES, loadTraceFile, parseTrace, type Trace } from '../../scripts/bench/scaling/traces';
import { TraceFormatError } from '../../scripts/lib/errors';
import { resolveWorkerStackOptions } from '../../templates/parameters/options';

const settings: SimulationSettings = { ...resolveWorkerStackOptions().scaling, tickSeconds: 60, workerStartSeconds: 60 };
const trace = (runs: Trace['runs'], horizonSeconds = 7200): Trace => ({ name: 't', horizonSeconds, runs });

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
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify({ name: 'mine', horizonSeconds: 600, runs: [{ id: 'a', kind: 'adhoc', dueAt: 10, durationSeconds: 5 }] }));
    expect(loadTraceFile(good).runs).toHaveLength(1);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{nope');
    expect(() => loadTraceFile(path.join(dir, 'bad.json'))).toThrow(/bad\.json: is not JSON/);
    expect(() => loadTraceFile(path.join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read it/);
  });

  it('builds the same built-in traces every time', () => {
    for (const make of BUILT_IN_TRACES) expect(make()).toEqual(make());
    expect(BUILT_IN_TRACES.map((make) => make().name)).toEqual(['nightly-batch', 'hourly-etl', 'business-hours-adhoc', 'idle-week', 'spike-200']);
  });
});

describe('statistics', () => {
  it('uses nearest-rank percentiles and 0 for no runs', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 95)).toBe(4);
    expect(delayStats([])).toEqual({ p50: 0, p95: 0, max: 0 });
  });
});

describe('oracle', () => {
  it('starts runs when due while capacity lasts, then first come first served', () => {
    const runs = Array.from({ length: 3 }, (_, i) => ({ id: `r${i}`, kind: 'adhoc' as const, dueAt: 600, durationSeconds: 100 }));
    const plan = planOracle(trace(runs), 1, 2, 60);
    expect([...plan.starts.values()]).toEqual([600, 600, 700]);
    // One worker from 540 (started a start-time early) to 800.
    expect(plan.workerSeconds).toBe(800 - 600 + 60);
    expect(plan.busyPeriods).toEqual([{ from: 600, to: 800, peakWorkers: 1 }]);
  });

  it('bridges a gap shorter than a worker start instead of restarting', () => {
    const runs = [
      { id: 'a', kind: 'scheduled' as const, dueAt: 600, durationSeconds: 100 },
      { id: 'b', kind: 'scheduled' as const, dueAt: 730, durationSeconds: 100 },
    ];
    expect(planOracle(trace(runs), 1, 1, 60).workerSeconds).toBe(830 - 600 + 60);
  });
});

describe('simulation', () => {
  it('costs nothing on an idle trace with the scaler, a full horizon always-on', () => {
    expect(simulate(trace([], 3600), scalerController(settings, false), settings).workerSeconds).toBe(0);
    expect(simulate(trace([], 3600), alwaysOnController(), settings).workerSeconds).toBe(3600);
  });

  it('has a worker ready when a scheduled run is due (look-ahead covers start and tick)', () => {
    const result = simulate(trace([{ id: 'a', kind: 'scheduled', dueAt: 1800, durationSeconds: 300 }]), scalerController(settings, false), settings);
    expect(result.delays.scheduled).toEqual([0]);
    expect(result.scaleActions).toBe(2);
    expect(result.unserved).toBe(0);
  });

  it('makes an ad-hoc run wait one start plus webhook latency with the webhook, up to a tick more without', () => {
    const run = [{ id: 'a', kind: 'adhoc' as const, dueAt: 1830, durationSeconds: 300 }];
    expect(simulate(trace(run), scalerController(settings, true), settings).delays.adhoc).toEqual([63]);
    expect(simulate(trace(run), scalerController(settings, false), settings).delays.adhoc).toEqual([90]);
  });

  it('reports every policy under its documented name and checks the targets', () => {
    const { result, targets } = runBench(BUILT_IN_TRACES[1]!(), settings);
    expect(Object.keys(result.policies)).toEqual(['scaler', 'scaler+webhook', 'always-on', 'cpu-target-tracking', 'backlog-per-task', 'oracle']);
    expect(Object.keys(result.settings)).toEqual(['tickSeconds', 'workerStartSeconds', 'maxWorkers', 'runsPerWorker', 'lookaheadSeconds', 'idleGraceSeconds']);
    expect(result.policies['always-on'].workerHours).toBe(168);
    expect(targets.length).toBeGreaterThan(5);
    for (const t of targets) expect(t).toEqual({ target: expect.any(String), limit: expect.any(Number), actual: expect.any(Number), met: expect.any(Boolean) });
  });
});
