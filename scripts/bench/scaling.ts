/**
 * npm run bench:scaling -- [--trace NAME|FILE] [--worker-start SECONDS] [--json]
 *
 * Simulates, minute by minute plus event-triggered evaluations, how each scaling policy serves
 * a trace, with the real scaler policy module and the stack's default settings. Without
 * --trace it runs every built-in trace; without --worker-start it reports 60 s (the targets)
 * and also 30 s and 120 s. --json prints one JSON object per trace and start time, one per line.
 */
import { resolveWorkerStackOptions } from '../../templates/parameters/options';
import { UsageError } from '../lib/errors';
import { POLICY_NAMES, runBench, type BenchResult, type TargetCheck } from './scaling/run';
import { BUILT_IN_TRACES, builtInTraceNames, loadTraceFile, type Trace } from './scaling/traces';

const TICK_SECONDS = 60;

interface Args {
  traces: Trace[];
  workerStarts: number[];
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { traces: BUILT_IN_TRACES.map((make) => make()), workerStarts: [60, 30, 120], json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    if (flag === '--json') args.json = true;
    else if (flag === '--trace') {
      const name = value();
      const builtIn = BUILT_IN_TRACES.map((make) => make()).find((t) => t.name === name);
      args.traces = [builtIn ?? loadTraceFile(name)];
    } else if (flag === '--worker-start') {
      const seconds = Number(value());
      if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) throw new UsageError('--worker-start must be seconds from 0 to 3600');
      args.workerStarts = [seconds];
    } else if (flag === '--help' || flag === '-h') {
      throw new UsageError('');
    } else throw new UsageError(`unknown argument ${flag}`);
  }
  return args;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function printText(trace: Trace, result: BenchResult, targets: TargetCheck[]): void {
  const s = result.settings;
  const scheduled = trace.runs.filter((r) => r.kind === 'scheduled').length;
  console.log(
    `\n${trace.name}: ${trace.runs.length} runs (${scheduled} scheduled, ${trace.runs.length - scheduled} ad-hoc) over ${fmt(trace.horizonSeconds / 3600)} h; ` +
      `worker start ${s.workerStartSeconds} s, tick ${s.tickSeconds} s, ${s.maxWorkers} workers x ${s.runsPerWorker} runs, look-ahead ${s.lookaheadSeconds} s, idle grace ${s.idleGraceSeconds} s`,
  );
  console.log(`  ${'policy'.padEnd(20)}${'worker-h'.padStart(10)}${'actions'.padStart(9)}   scheduled delay p50/p95/max   ad-hoc delay p50/p95/max`);
  for (const name of POLICY_NAMES) {
    const p = result.policies[name];
    const d = (x: { p50: number; p95: number; max: number }) => `${fmt(x.p50)}/${fmt(x.p95)}/${fmt(x.max)} s`.padEnd(28);
    console.log(`  ${name.padEnd(20)}${fmt(p.workerHours).padStart(10)}${String(p.scaleActions).padStart(9)}   ${d(p.delaySeconds.scheduled)}  ${d(p.delaySeconds.adhoc)}`);
  }
  const missed = targets.filter((t) => !t.met);
  console.log(`  targets: ${targets.length - missed.length}/${targets.length} met`);
  for (const t of missed) console.log(`    MISSED ${t.target}: ${t.actual} > ${t.limit}`);
}

function main(): number {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) console.error(`bench:scaling: ${error.message}`);
    console.error(`usage: npm run bench:scaling -- [--trace NAME|FILE] [--worker-start SECONDS] [--json]\nbuilt-in traces: ${builtInTraceNames().join(', ')}`);
    return error.message ? 2 : 0;
  }
  const scaling = resolveWorkerStackOptions().scaling;
  let met = 0;
  let total = 0;
  for (const workerStartSeconds of args.workerStarts) {
    if (!args.json) console.log(`\n=== worker start ${workerStartSeconds} s${workerStartSeconds === 60 ? ' (targets apply)' : ''}`);
    for (const trace of args.traces) {
      const { result, targets } = runBench(trace, { ...scaling, tickSeconds: TICK_SECONDS, workerStartSeconds });
      if (workerStartSeconds === 60) {
        met += targets.filter((t) => t.met).length;
        total += targets.length;
      }
      if (args.json) console.log(JSON.stringify(result));
      else printText(trace, result, targets);
    }
  }
  if (!args.json && total > 0) console.log(`\nSummary: ${met}/${total} targets met at the default 60 s worker start.`);
  return 0;
}

try {
  process.exit(main());
} catch (error) {
  console.error(`bench:scaling: ${(error as Error).message}`);
  process.exit(1);
}
