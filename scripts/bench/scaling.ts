/**
 * npm run bench:scaling -- [--trace NAME|FILE] [--worker-start SECONDS] [--json]
 *
 * Simulates how each scaling policy serves workload traces, with the real scaler policy module
 * and the stack's default settings, on the semantics of the Prefect ECS worker the stack runs
 * (scripts/bench/scaling/simulate.ts). Without --trace it runs every built-in trace; without
 * --worker-start it reports 60 s (the targets) and also 30 s and 120 s. Every trace runs at
 * several tick phases and each figure is the worst of them. --json prints one JSON object per
 * worker start, one per line; its `settings` carry `runsPerWorker`, the name `submissionsPerWorker`
 * had before issue 10 (the same figure); `npm run readme` renders the README's table from it.
 */
import { defineCommand, type FlagValues } from '../lib/cli/flags';
import { runCommand } from '../lib/cli/runCommand';
import { FlagValueError } from '../lib/errors';
import { defaultSettings, TARGET_WORKER_START_SECONDS } from './scaling/defaults';
import { benchReport, POLICY_NAMES, runBench, TICK_PHASES_SECONDS, type TraceResult } from './scaling/run';
import type { SimulationSettings } from './scaling/simulate';
import { BUILT_IN_TRACES, builtInTraceNames, loadTraceFile, type Trace } from './scaling/traces';

const FLAGS = {
  trace: { type: 'string', placeholder: 'NAME|FILE', description: 'one built-in trace, or a trace file (format in scripts/bench/scaling/traces.ts); default: every built-in trace' },
  'worker-start': { type: 'string', placeholder: 'SECONDS', description: `worker start time, 0-3600 (default: ${TARGET_WORKER_START_SECONDS}, the targets, then 30 and 120)` },
  json: { type: 'boolean', description: 'print one JSON object per worker start, one per line' },
} as const;
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function printText(result: TraceResult, settings: SimulationSettings): void {
  const s = settings;
  console.log(
    `\n${result.trace}: ${result.runs.scheduled + result.runs.adhoc} runs (${result.runs.scheduled} scheduled, ${result.runs.adhoc} ad-hoc) over ${fmt(result.horizonHours)} h; ` +
      `worker start ${s.workerStartSeconds} s, tick ${s.tickSeconds} s, ${s.maxWorkers} workers x ${s.submissionsPerWorker} submissions of ${s.submitSeconds} s, ` +
      `look-ahead ${s.lookaheadSeconds} s, idle grace ${s.idleGraceSeconds} s; worst of tick phases ${TICK_PHASES_SECONDS.join(', ')} s`,
  );
  console.log(`  ${'policy'.padEnd(24)}${'worker-h'.padStart(10)}${'actions'.padStart(9)}${'stranded'.padStart(10)}   scheduled delay p50/p95/max   ad-hoc delay p50/p95/max`);
  for (const name of POLICY_NAMES) {
    const p = result.policies[name];
    const d = (x: { p50: number; p95: number; max: number }) => `${fmt(x.p50)}/${fmt(x.p95)}/${fmt(x.max)} s`.padEnd(28);
    console.log(`  ${name.padEnd(24)}${fmt(p.workerHours).padStart(10)}${String(p.scaleActions).padStart(9)}${String(p.stranded).padStart(10)}   ${d(p.delaySeconds.scheduled)}  ${d(p.delaySeconds.adhoc)}`);
  }
  const missed = result.targets.filter((t) => !t.met);
  console.log(`  targets: ${result.targets.length - missed.length}/${result.targets.length} met`);
  for (const t of missed) console.log(`    MISSED ${t.target}: ${t.actual} > ${t.limit}`);
}

function traceOf(name: string): Trace {
  return BUILT_IN_TRACES.map((make) => make()).find((t) => t.name === name) ?? loadTraceFile(name);
}

function main(flags: FlagValues<typeof FLAGS>): number {
  const traces = flags.trace ? [traceOf(flags.trace)] : BUILT_IN_TRACES.map((make) => make());
  let starts = [TARGET_WORKER_START_SECONDS, 30, 120];
  const start = flags['worker-start'];
  if (start !== undefined) {
    const seconds = Number(start);
    if (start.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds > 3600) {
      throw new FlagValueError(`--worker-start must be seconds from 0 to 3600 (got ${JSON.stringify(start)})`);
    }
    starts = [seconds];
  }
  let met = 0;
  let total = 0;
  for (const workerStartSeconds of starts) {
    const settings = defaultSettings(workerStartSeconds);
    const results = traces.map((trace) => runBench(trace, settings));
    const targets = results.flatMap((r) => r.targets);
    if (workerStartSeconds === TARGET_WORKER_START_SECONDS) {
      met += targets.filter((t) => t.met).length;
      total += targets.length;
    }
    if (flags.json) {
      console.log(JSON.stringify(benchReport(settings, results)));
      continue;
    }
    console.log(`\n=== worker start ${workerStartSeconds} s${workerStartSeconds === TARGET_WORKER_START_SECONDS ? ' (targets apply)' : ''}`);
    for (const result of results) printText(result, settings);
  }
  if (!flags.json && total > 0) console.log(`\nSummary: ${met}/${total} targets met at the default ${TARGET_WORKER_START_SECONDS} s worker start.`);
  return 0;
}

void runCommand(
  defineCommand({
    name: 'bench:scaling',
    summary:
      'Simulates how each scaling policy serves workload traces, with the real scaler policy module and the stack\'s default\n' +
      `settings, on the semantics of the Prefect ECS worker the stack runs. Built-in traces: ${builtInTraceNames().join(', ')}.`,
    flags: FLAGS,
    failure: 'a trace file is unreadable or malformed (the line names the file and the field), or a flag value is out of range',
    run: (flags) => main(flags),
  }),
);
