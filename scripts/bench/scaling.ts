/**
 * npm run bench:scaling -- [--trace NAME|FILE] [--worker-start SECONDS] [--json] [--readme | --update-readme]
 *
 * Simulates how each scaling policy serves workload traces, with the real scaler policy module
 * and the stack's default settings, on the semantics of the Prefect ECS worker the stack runs
 * (scripts/bench/scaling/simulate.ts). Without --trace it runs every built-in trace; without
 * --worker-start it reports 60 s (the targets) and also 30 s and 120 s. --json prints one JSON
 * object per worker start, one per line. --readme prints the README's scaling table (60 s, every
 * built-in trace) and --update-readme writes it into README.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseFlags, runCli } from '../lib/args';
import { UsageError } from '../lib/errors';
import { ROOT } from '../lib/paths';
import { defaultSettings, SCALING_TABLE_BLOCK, TARGET_WORKER_START_SECONDS } from './scaling/defaults';
import { writeBlock } from './scaling/readmeTable';
import { benchReport, POLICY_NAMES, runBench, type TraceResult } from './scaling/run';
import type { SimulationSettings } from './scaling/simulate';
import { BUILT_IN_TRACES, builtInTraceNames, loadTraceFile, type Trace } from './scaling/traces';

const USAGE = 'npm run bench:scaling -- [--trace NAME|FILE] [--worker-start SECONDS] [--json] [--readme | --update-readme]';
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function printText(result: TraceResult, settings: SimulationSettings): void {
  const s = settings;
  console.log(
    `\n${result.trace}: ${result.runs.scheduled + result.runs.adhoc} runs (${result.runs.scheduled} scheduled, ${result.runs.adhoc} ad-hoc) over ${fmt(result.horizonHours)} h; ` +
      `worker start ${s.workerStartSeconds} s, tick ${s.tickSeconds} s, ${s.maxWorkers} workers x ${s.submissionsPerWorker} submissions of ${s.submitSeconds} s, ` +
      `look-ahead ${s.lookaheadSeconds} s, idle grace ${s.idleGraceSeconds} s`,
  );
  console.log(`  ${'policy'.padEnd(20)}${'worker-h'.padStart(10)}${'actions'.padStart(9)}   scheduled delay p50/p95/max   ad-hoc delay p50/p95/max`);
  for (const name of POLICY_NAMES) {
    const p = result.policies[name];
    const d = (x: { p50: number; p95: number; max: number }) => `${fmt(x.p50)}/${fmt(x.p95)}/${fmt(x.max)} s`.padEnd(28);
    console.log(`  ${name.padEnd(20)}${fmt(p.workerHours).padStart(10)}${String(p.scaleActions).padStart(9)}   ${d(p.delaySeconds.scheduled)}  ${d(p.delaySeconds.adhoc)}`);
  }
  const missed = result.targets.filter((t) => !t.met);
  console.log(`  targets: ${result.targets.length - missed.length}/${result.targets.length} met`);
  for (const t of missed) console.log(`    MISSED ${t.target}: ${t.actual} > ${t.limit}`);
}

function traceOf(name: string): Trace {
  return BUILT_IN_TRACES.map((make) => make()).find((t) => t.name === name) ?? loadTraceFile(name);
}

function main(): number {
  const flags = parseFlags(process.argv.slice(2), { values: ['trace', 'worker-start'], booleans: ['json', 'readme', 'update-readme', 'help'] });
  if (flags.booleans.has('help')) {
    console.log(`usage: ${USAGE}\nbuilt-in traces: ${builtInTraceNames().join(', ')}`);
    return 0;
  }
  if (flags.booleans.has('readme')) {
    console.log(SCALING_TABLE_BLOCK.render());
    return 0;
  }
  if (flags.booleans.has('update-readme')) {
    const file = path.join(ROOT, 'README.md');
    const updated = writeBlock(fs.readFileSync(file, 'utf8'), SCALING_TABLE_BLOCK.name, SCALING_TABLE_BLOCK.render());
    if (updated === undefined) throw new UsageError(`README.md has no figures:${SCALING_TABLE_BLOCK.name} block to update`);
    fs.writeFileSync(file, updated);
    return 0;
  }
  const traces = flags.values.trace ? [traceOf(flags.values.trace)] : BUILT_IN_TRACES.map((make) => make());
  let starts = [TARGET_WORKER_START_SECONDS, 30, 120];
  if (flags.values['worker-start'] !== undefined) {
    const seconds = Number(flags.values['worker-start']);
    if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600) throw new UsageError('--worker-start must be seconds from 0 to 3600');
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
    if (flags.booleans.has('json')) {
      console.log(JSON.stringify(benchReport(settings, results)));
      continue;
    }
    console.log(`\n=== worker start ${workerStartSeconds} s${workerStartSeconds === TARGET_WORKER_START_SECONDS ? ' (targets apply)' : ''}`);
    for (const result of results) printText(result, settings);
  }
  if (!flags.booleans.has('json') && total > 0) console.log(`\nSummary: ${met}/${total} targets met at the default ${TARGET_WORKER_START_SECONDS} s worker start.`);
  return 0;
}

void runCli('bench:scaling', USAGE, main);
