/**
 * Schedule intervals as prefect.yaml takes them: `interval: Optional[timedelta]`
 * (3.6.28:src/prefect/cli/deploy/_models.py:L117-L119 "accepts int/float (seconds), ISO 8601,
 * HH:MM:SS"), parsed by pydantic 2's timedelta rules, and sent to the API as seconds (the
 * OpenAPI `IntervalSchedule.interval` is a number; the client serialises float seconds,
 * 3.6.28:src/prefect/_internal/schemas/bases.py:L35-L39). test/integration/prefectParity.test.ts
 * compares this parser with pydantic's on a table of inputs.
 */
const ISO_UNITS: Record<string, number> = { Y: 365 * 86_400, M: 30 * 86_400, W: 7 * 86_400, D: 86_400 };
const ISO_TIME_UNITS: Record<string, number> = { H: 3600, M: 60, S: 1 };
const ISO = /^([+-]?)P((?:\d+(?:\.\d+)?[YMWD])*)(?:T((?:\d+(?:\.\d+)?[HMS])*))?$/;
const CLOCK = /^([+-]?)(?:(\d+)\s*(?:d|days?)\s*,?\s*)?(?:(\d+):([0-5]\d)(?::([0-5]\d(?:\.\d+)?))?)?$/;

function isoSeconds(part: string, units: Record<string, number>): number {
  let total = 0;
  for (const [, amount, unit] of part.matchAll(/(\d+(?:\.\d+)?)([A-Z])/g)) total += Number(amount) * units[unit!]!;
  return total;
}

/** Seconds, or undefined when pydantic would not read the value as a timedelta. Booleans are ints in Python. */
export function intervalSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string') return undefined;
  const iso = ISO.exec(value);
  if (iso && (iso[2] || iso[3])) {
    const seconds = isoSeconds(iso[2]!, ISO_UNITS) + isoSeconds(iso[3] ?? '', ISO_TIME_UNITS);
    return iso[1] === '-' ? -seconds : seconds;
  }
  const clock = CLOCK.exec(value);
  // pydantic wants two-digit hours unless seconds follow ("1:30:00" is read, "1:00" is not).
  if (!clock || (clock[2] === undefined && clock[3] === undefined) || (clock[3] !== undefined && clock[5] === undefined && clock[3].length < 2)) return undefined;
  const seconds = Number(clock[2] ?? 0) * 86_400 + Number(clock[3] ?? 0) * 3600 + Number(clock[4] ?? 0) * 60 + Number(clock[5] ?? 0);
  return clock[1] === '-' ? -seconds : seconds;
}
