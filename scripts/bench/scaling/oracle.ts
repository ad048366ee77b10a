/**
 * The oracle: knows every run in advance and has the same capacity (max workers x runs per
 * worker). Runs start first-come first-served as soon as a slot is free; each worker is started
 * exactly one start time before it is needed and stopped the moment it is not (a gap shorter
 * than a start is bridged, since a restart would cost as much).
 */
import type { Trace } from './traces';

export interface OracleSchedule {
  /** Start time of each run, by id. */
  readonly starts: ReadonlyMap<string, number>;
  readonly workerSeconds: number;
  readonly scaleActions: number;
  /** Maximal stretches in which some run is due or running, with the workers they need at peak. */
  readonly busyPeriods: readonly { from: number; to: number; peakWorkers: number }[];
}

export function planOracle(trace: Trace, maxWorkers: number, runsPerWorker: number, workerStartSeconds: number): OracleSchedule {
  const capacity = maxWorkers * runsPerWorker;
  // The fleet starts empty at time 0, so even the oracle has no worker before one start time.
  const slots: number[] = Array.from({ length: capacity }, () => workerStartSeconds);
  const starts = new Map<string, number>();
  const spans: { from: number; to: number; due: number }[] = [];
  const ordered = [...trace.runs].sort((a, b) => a.dueAt - b.dueAt || a.id.localeCompare(b.id));
  for (const run of ordered) {
    let slot = 0;
    for (let i = 1; i < slots.length; i++) if (slots[i]! < slots[slot]!) slot = i;
    const start = Math.max(run.dueAt, slots[slot]!);
    slots[slot] = start + run.durationSeconds;
    starts.set(run.id, start);
    spans.push({ from: start, to: start + run.durationSeconds, due: run.dueAt });
  }

  // Workers needed over time: ceil(running / runsPerWorker), as a step function.
  const changes = new Map<number, number>();
  for (const span of spans) {
    changes.set(span.from, (changes.get(span.from) ?? 0) + 1);
    changes.set(span.to, (changes.get(span.to) ?? 0) - 1);
  }
  const times = [...changes.keys()].sort((a, b) => a - b);
  const steps: { at: number; workers: number }[] = [];
  let running = 0;
  for (const at of times) {
    running += changes.get(at)!;
    steps.push({ at, workers: Math.ceil(running / runsPerWorker) });
  }

  // Per worker k: the intervals where at least k workers are needed, gaps < start bridged.
  let workerSeconds = 0;
  const actionTimes = new Set<string>();
  for (let k = 1; k <= maxWorkers; k++) {
    const intervals: [number, number][] = [];
    let openedAt: number | undefined;
    for (const step of steps) {
      if (step.workers >= k && openedAt === undefined) openedAt = step.at;
      if (step.workers < k && openedAt !== undefined) {
        intervals.push([openedAt, step.at]);
        openedAt = undefined;
      }
    }
    const merged: [number, number][] = [];
    for (const interval of intervals) {
      const last = merged[merged.length - 1];
      if (last && interval[0] - last[1] <= workerStartSeconds) last[1] = interval[1];
      else merged.push([...interval]);
    }
    for (const [from, to] of merged) {
      workerSeconds += to - from + workerStartSeconds;
      actionTimes.add(`up@${from - workerStartSeconds}`);
      actionTimes.add(`down@${to}`);
    }
  }

  const busyPeriods: { from: number; to: number; peakWorkers: number }[] = [];
  for (const span of [...spans].sort((a, b) => a.due - b.due)) {
    const last = busyPeriods[busyPeriods.length - 1];
    if (last && span.due <= last.to) last.to = Math.max(last.to, span.to);
    else busyPeriods.push({ from: span.due, to: span.to, peakWorkers: 0 });
  }
  for (const period of busyPeriods) {
    period.peakWorkers = Math.max(0, ...steps.filter((s) => s.at >= period.from && s.at < period.to).map((s) => s.workers));
  }
  return { starts, workerSeconds, scaleActions: actionTimes.size, busyPeriods };
}
