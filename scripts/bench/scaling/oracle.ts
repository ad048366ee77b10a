/**
 * The oracle: knows every run in advance and serves it with the same worker (polls every
 * slot cycle, `--limit` submissions per poll, prefetch for scheduled runs) and the same maximum
 * fleet. One worker per busy period, ready exactly when its first run can be taken and stopped
 * when its last run ends (a gap shorter than a worker start is bridged, since a restart would
 * cost as much); at each poll, as many more workers as the runs waiting then need, up to the
 * maximum, each ready exactly at that poll and stopped once its submissions are done. Its workers
 * take as long to stop as anyone's (SCALE_IN_STOP_SECONDS). It minimises delay, not cost: a policy
 * that lets runs wait can use fewer worker-hours than the oracle.
 */
import { slotCycleSeconds, WORKER_PREFETCH_SECONDS } from '../../../lambdas/scaler/prefectWorker';
import type { Trace, TraceRun } from './traces';

export interface OracleSettings {
  readonly maxWorkers: number;
  /** From asking a worker to stop until it has stopped (simulate.ts SCALE_IN_STOP_SECONDS). */
  readonly stopSeconds: number;
  readonly submissionsPerWorker: number;
  readonly submitSeconds: number;
  readonly workerStartSeconds: number;
}

export interface BusyPeriod {
  readonly from: number;
  readonly to: number;
  readonly peakWorkers: number;
}

export interface OracleSchedule {
  /** When a worker took each run, by id. */
  readonly taken: ReadonlyMap<string, number>;
  readonly workerSeconds: number;
  readonly scaleActions: number;
  readonly busyPeriods: readonly BusyPeriod[];
}

const releaseOf = (run: TraceRun) => (run.kind === 'scheduled' ? run.dueAt - WORKER_PREFETCH_SECONDS : run.dueAt);
const byDue = (a: TraceRun, b: TraceRun) => a.dueAt - b.dueAt || a.id.localeCompare(b.id);

/** Intervals where the j-th worker is needed, from the poll instants that need it; gaps up to `bridge` are kept. */
function extraWorkerIntervals(instants: readonly number[], bridge: number): [number, number][] {
  const intervals: [number, number][] = [];
  for (const at of instants) {
    const last = intervals[intervals.length - 1];
    if (last && at - last[1] <= bridge) last[1] = at;
    else intervals.push([at, at]);
  }
  return intervals;
}

export function planOracle(trace: Trace, s: OracleSettings): OracleSchedule {
  const cycle = slotCycleSeconds(s.submitSeconds);
  const runs = [...trace.runs].sort((a, b) => releaseOf(a) - releaseOf(b) || byDue(a, b));
  const taken = new Map<string, number>();
  const busyPeriods: BusyPeriod[] = [];
  const extraInstants: number[][] = Array.from({ length: s.maxWorkers + 1 }, () => []);
  let next = 0;
  while (next < runs.length) {
    // The fleet starts empty at time 0: even the oracle has no worker before one start.
    const from = Math.max(releaseOf(runs[next]!), s.workerStartSeconds);
    const waiting: TraceRun[] = [];
    let poll = from;
    let end = from;
    let peak = 1;
    for (;;) {
      while (next < runs.length && releaseOf(runs[next]!) <= poll) waiting.push(runs[next++]!);
      if (waiting.length > 0) {
        waiting.sort(byDue);
        const workers = Math.min(s.maxWorkers, Math.ceil(waiting.length / s.submissionsPerWorker));
        for (const run of waiting.splice(0, workers * s.submissionsPerWorker)) {
          taken.set(run.id, poll);
          end = Math.max(end, Math.max(poll + s.submitSeconds, run.dueAt) + run.durationSeconds);
        }
        for (let j = 2; j <= workers; j++) extraInstants[j]!.push(poll);
        peak = Math.max(peak, workers);
      }
      const nextRelease = next < runs.length ? releaseOf(runs[next]!) : Infinity;
      if (waiting.length === 0 && nextRelease > Math.max(end, poll) + s.workerStartSeconds) break;
      poll += waiting.length > 0 ? cycle : cycle * Math.max(1, Math.ceil((nextRelease - poll) / cycle));
    }
    busyPeriods.push({ from, to: end, peakWorkers: peak });
  }
  let workerSeconds = busyPeriods.reduce((sum, p) => sum + p.to - p.from + s.workerStartSeconds + s.stopSeconds, 0);
  let scaleActions = 2 * busyPeriods.length;
  for (const instants of extraInstants) {
    for (const [first, last] of extraWorkerIntervals(instants, s.workerStartSeconds + cycle)) {
      workerSeconds += last - first + s.submitSeconds + s.workerStartSeconds + s.stopSeconds;
      scaleActions += 2;
    }
  }
  return { taken, workerSeconds, scaleActions, busyPeriods };
}
