/**
 * Workload traces for the scaling benchmark: the built-in ones (deterministic, seeded) and
 * a loader for user files in the documented format, with errors that name the field.
 */
import { readInputFile } from '../../lib/cli/files';
import { TraceFormatError } from '../../lib/errors';

export interface TraceRun {
  readonly id: string;
  /** scheduled runs exist (and are visible to Prefect queries) long before they are due; ad-hoc runs appear when due. */
  readonly kind: 'scheduled' | 'adhoc';
  readonly dueAt: number;
  readonly durationSeconds: number;
}

export interface Trace {
  readonly name: string;
  readonly horizonSeconds: number;
  readonly runs: readonly TraceRun[];
}

const DAY = 86_400;
const WEEK = 7 * DAY;

/** mulberry32: a tiny seeded generator, so built-in traces are the same on every machine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (random: () => number, low: number, high: number) => Math.round(low + random() * (high - low));

function nightlyBatch(): Trace {
  const random = seeded(1);
  const runs: TraceRun[] = [];
  for (let day = 0; day < 7; day++) {
    for (let job = 0; job < 6; job++) {
      runs.push({ id: `night-${day}-${job}`, kind: 'scheduled', dueAt: day * DAY + 2 * 3600, durationSeconds: between(random, 20 * 60, 40 * 60) });
    }
  }
  return { name: 'nightly-batch', horizonSeconds: WEEK, runs };
}

function hourlyEtl(): Trace {
  const random = seeded(2);
  const runs: TraceRun[] = [];
  for (let hour = 1; hour < 7 * 24; hour++) {
    runs.push({ id: `etl-${hour}`, kind: 'scheduled', dueAt: hour * 3600, durationSeconds: between(random, 5 * 60, 10 * 60) });
  }
  return { name: 'hourly-etl', horizonSeconds: WEEK, runs };
}

/** Monday to Friday, 09:00-18:00: ad-hoc runs arriving about every 12 minutes, 2-20 minutes long. */
function businessHoursAdhoc(): Trace {
  const random = seeded(3);
  const runs: TraceRun[] = [];
  for (let day = 0; day < 5; day++) {
    let t = day * DAY + 9 * 3600;
    const close = day * DAY + 18 * 3600;
    for (;;) {
      t += Math.max(30, Math.round(-Math.log(1 - random()) * 12 * 60));
      if (t >= close) break;
      runs.push({ id: `adhoc-${runs.length}`, kind: 'adhoc', dueAt: t, durationSeconds: between(random, 2 * 60, 20 * 60) });
    }
  }
  return { name: 'business-hours-adhoc', horizonSeconds: WEEK, runs };
}

function idleWeek(): Trace {
  return { name: 'idle-week', horizonSeconds: WEEK, runs: [] };
}

/** `count` ad-hoc runs triggered within one minute at 01:00 (a backfill), 3-10 minutes each, one day. */
function adhocBurst(name: string, idPrefix: string, count: number, seed: number): Trace {
  const random = seeded(seed);
  const runs: TraceRun[] = Array.from({ length: count }, (_, i) => ({
    id: `${idPrefix}-${i}`,
    kind: 'adhoc' as const,
    dueAt: 3600 + between(random, 0, 59),
    durationSeconds: between(random, 3 * 60, 10 * 60),
  }));
  return { name, horizonSeconds: DAY, runs };
}

const spike200 = () => adhocBurst('spike-200', 'spike', 200, 5);

/**
 * 30 ad-hoc runs within a minute at the top of every hour, 3-10 minutes each, one day: backlogs
 * one worker clears in a few polls, where adding workers at once trades worker-hours for delay.
 */
function hourlyBursts30(): Trace {
  const random = seeded(11);
  const runs: TraceRun[] = [];
  for (let hour = 1; hour < 24; hour++) {
    for (let i = 0; i < 30; i++) {
      runs.push({ id: `hb-${hour}-${i}`, kind: 'adhoc', dueAt: hour * 3600 + between(random, 0, 59), durationSeconds: between(random, 3 * 60, 10 * 60) });
    }
  }
  return { name: 'hourly-bursts-30', horizonSeconds: DAY, runs };
}
const burst400 = () => adhocBurst('burst-400', 'burst', 400, 7);

/** 24 six-hour runs scheduled at the same moment (01:00), one day. */
function longRuns(): Trace {
  const runs: TraceRun[] = Array.from({ length: 24 }, (_, i) => ({ id: `long-${i}`, kind: 'scheduled' as const, dueAt: 3600, durationSeconds: 6 * 3600 }));
  return { name: 'long-runs', horizonSeconds: DAY, runs };
}

export const BUILT_IN_TRACES: readonly (() => Trace)[] = [nightlyBatch, hourlyEtl, businessHoursAdhoc, idleWeek, spike200, hourlyBursts30, longRuns, burst400];
export const builtInTraceNames = () => BUILT_IN_TRACES.map((make) => make().name);

/** Checks a parsed trace file and returns it typed, or throws naming the first bad field. */
export function parseTrace(value: unknown, file = 'trace'): Trace {
  const fail = (problem: string): never => {
    throw new TraceFormatError(file, problem);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('must be a JSON object with name, horizonSeconds and runs');
  const v = value as Record<string, unknown>;
  if (typeof v.name !== 'string' || !v.name) fail('"name" must be a non-empty string');
  if (typeof v.horizonSeconds !== 'number' || !(v.horizonSeconds > 0)) fail('"horizonSeconds" must be a positive number');
  if (!Array.isArray(v.runs)) fail('"runs" must be an array');
  const seen = new Set<string>();
  const runs = (v.runs as unknown[]).map((run, i) => {
    const r = run as Record<string, unknown>;
    const at = `runs[${i}]`;
    if (typeof r !== 'object' || r === null) fail(`${at} must be an object`);
    if (typeof r.id !== 'string' || !r.id) fail(`${at}.id must be a non-empty string`);
    if (seen.has(r.id as string)) fail(`${at}.id "${r.id}" is used twice`);
    seen.add(r.id as string);
    if (r.kind !== 'scheduled' && r.kind !== 'adhoc') fail(`${at}.kind must be "scheduled" or "adhoc" (got ${JSON.stringify(r.kind)})`);
    if (typeof r.dueAt !== 'number' || !(r.dueAt >= 0) || r.dueAt > (v.horizonSeconds as number)) fail(`${at}.dueAt must be a number from 0 to horizonSeconds`);
    if (typeof r.durationSeconds !== 'number' || !(r.durationSeconds > 0)) fail(`${at}.durationSeconds must be a positive number`);
    return { id: r.id, kind: r.kind, dueAt: r.dueAt, durationSeconds: r.durationSeconds } as TraceRun;
  });
  return { name: v.name as string, horizonSeconds: v.horizonSeconds as number, runs };
}

export function loadTraceFile(file: string): Trace {
  const text = readInputFile(file, '--trace');
  try {
    return parseTrace(JSON.parse(text), file);
  } catch (error) {
    if (error instanceof SyntaxError) throw new TraceFormatError(file, `is not JSON (${error.message})`);
    throw error;
  }
}
