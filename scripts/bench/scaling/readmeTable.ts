/**
 * The README's scaling table, generated from the benchmark itself: `npm run readme` renders it
 * from `npm run bench:scaling -- --json` (scripts/lib/readme/blocks.ts), and
 * test/scripts/scalingReadme.test.ts fails when the README differs from what the benchmark gives.
 */
import type { BenchReport, BenchSettings, TraceResult } from './run';

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
const secs = (n: number) => `${fmt(n)} s`;

export function renderScalingTable(settings: BenchSettings, results: readonly TraceResult[]): string {
  const met = results.flatMap((r) => r.targets).filter((t) => t.met).length;
  const total = results.reduce((sum, r) => sum + r.targets.length, 0);
  const rows = results.map((r) => {
    const p = r.policies;
    const adhoc = r.runs.adhoc > 0;
    const scheduled = r.runs.scheduled > 0;
    return [
      `${r.trace} (${r.runs.scheduled + r.runs.adhoc} runs, ${fmt(r.horizonHours)} h)`,
      `${fmt(p.scaler.workerHours)} / ${fmt(p.oracle.workerHours)} / ${fmt(p['always-on'].workerHours)}`,
      scheduled ? `${secs(p.scaler.delaySeconds.scheduled.max)} / ${secs(p.oracle.delaySeconds.scheduled.max)} / ${secs(p['always-on'].delaySeconds.scheduled.max)}` : '—',
      adhoc
        ? `${secs(p.scaler.delaySeconds.adhoc.p95)} / ${secs(p['scaler+webhook'].delaySeconds.adhoc.p95)} / ${secs(p.oracle.delaySeconds.adhoc.p95)} / ${secs(p['always-on'].delaySeconds.adhoc.p95)}`
        : '—',
      `${p.scaler.stranded} / ${p['scaler+webhook'].stranded}`,
    ];
  });
  const perTick = results
    .filter((r) => r.runs.adhoc > 0)
    .map((r) => {
      const p = r.policies;
      return [
        r.trace,
        `${fmt(p.scaler.workerHours)} / ${fmt(p['scaler-per-tick'].workerHours)}`,
        `${fmt(p['scaler+webhook'].workerHours)} / ${fmt(p['scaler-per-tick+webhook'].workerHours)}`,
        `${secs(p.scaler.delaySeconds.adhoc.p95)} / ${secs(p['scaler-per-tick'].delaySeconds.adhoc.p95)}`,
        `${secs(p['scaler+webhook'].delaySeconds.adhoc.p95)} / ${secs(p['scaler-per-tick+webhook'].delaySeconds.adhoc.p95)}`,
      ];
    });
  const table = (header: string, body: string[][]) => [header, `|${' --- |'.repeat(header.split('|').length - 2)}`, ...body.map((cells) => `| ${cells.join(' | ')} |`)];
  return [
    `Defaults: ${settings.maxWorkers} workers x ${settings.submissionsPerWorker} submissions of ${settings.submitSeconds} s, look-ahead ${settings.lookaheadSeconds} s, ` +
      `idle grace ${settings.idleGraceSeconds} s, tick ${settings.tickSeconds} s, worker start ${settings.workerStartSeconds} s. ` +
      `Each figure is the worst over tick phases ${settings.tickPhasesSeconds.join(', ')} s.`,
    '',
    ...table(
      '| trace | worker-hours: scaler / oracle / always-on | scheduled delay max: scaler / oracle / always-on | ad-hoc delay p95: scaler / +webhook / oracle / always-on | runs stranded by a scale-in: scaler / +webhook |',
      rows,
    ),
    '',
    `Targets met: ${met} of ${total}.`,
    '',
    'More workers for a backlog beyond one poll of the fleet (the scaler) or beyond a tick of polls (per tick), ad-hoc traces:',
    '',
    ...table('| trace | worker-hours: per poll / per tick | with the webhook | ad-hoc delay p95: per poll / per tick | with the webhook |', perTick),
  ].join('\n');
}

/** The table from `bench:scaling --json` output (one report per line): the one at `workerStartSeconds`. */
export function scalingTableFromJson(jsonLines: string, workerStartSeconds: number): string | undefined {
  const reports = jsonLines
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as BenchReport);
  const report = reports.find((r) => r.settings.workerStartSeconds === workerStartSeconds);
  return report && renderScalingTable(report.settings, report.traces);
}
