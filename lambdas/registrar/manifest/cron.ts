/**
 * Prefect's cron check, ported: `croniter.is_valid` of Prefect's vendored croniter, then the
 * refusal of random and hashed fields (3.6.28:src/prefect/_internal/schemas/validators.py:
 * L272-L283). The port follows 3.6.28:src/prefect/_vendor/croniter/croniter.py `_expand`
 * (L865-L1145) line by line for validity only; test/integration/prefectParity.test.ts checks it
 * against what that very code answered (test/fixtures/prefect/parity-3.6.28.json). No npm cron parser matches it:
 * they put seconds first, where croniter's sixth field is seconds and its seventh the year.
 */
import { CronSyntaxError } from '../errors';

const RANGES: readonly [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 6], [0, 59], [1970, 2099]]; // L183-L191
const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const WEEKDAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const ALPHACONV: readonly Record<string, number | 'l'>[] = [{}, {}, { l: 'l' }, MONTHS, WEEKDAYS, {}, {}]; // L194-L206
const [DAY, MONTH, DOW] = [2, 3, 4];
/** L876-L884, the forms without a hash id. */
const ALIASES: Record<string, string> = {
  '@midnight': '0 0 * * *', '@hourly': '0 * * * *', '@daily': '0 0 * * *', '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *', '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *',
};
const STEP_SEARCH = /^([^-]+)-([^-/]+)(\/(\d+))?$/; // L106
const ONLY_INT = /^\d+$/;
const STAR_OR_INT = /^(\d+|\*)$/;
const SPECIAL_DOW = new RegExp(`^(?<pre>((?<he>((${Object.keys(WEEKDAYS).join('|')})(-(${Object.keys(WEEKDAYS).join('|')}))?)|((${Object.keys(MONTHS).join('|')})(-(${Object.keys(MONTHS).join('|')}))?)|\\w+)#)|l)(?<last>\\d+)$`); // L112-L115
const HASH = /^(h|r)(\((\d+)-(\d+)\))?(\/(\d+))?$/; // L117-L119

const fail = (why: string): never => {
  throw new CronSyntaxError(why);
};

/** value_alias (L841-L863): 0 -> 1 for day/month and 7 -> 0 for weekday, except where croniter forbids. */
function valueAlias(value: number | string, field: number, fields: number): number | string {
  const lowmap: Record<number, number> = field === DAY || field === MONTH ? { 0: 1 } : field === DOW ? { 7: 0 } : {};
  const forbidden =
    (fields === 5 && (field === DAY || field === MONTH)) || (fields === 6 && (field === MONTH || field === DOW)) || (fields === 7 && [DAY, MONTH, DOW].includes(field));
  return typeof value === 'number' && value in lowmap && !forbidden ? lowmap[value]! : value;
}

function alphaconv(field: number, key: string): number | 'l' {
  const value = ALPHACONV[field]![key];
  return value ?? fail(`"${key}" is not a value of field ${field + 1}`);
}

function expandField(field: number, text: string, fields: number, nthWeekdays: Map<string, Set<string | number>>): (number | string)[] {
  let expr = text;
  if (HASH.test(expr)) fail(`random and hashed expressions (${expr}) are unsupported`); // validators.py:L279-L282, and croniter needs a hash id for H
  if (expr.includes('?')) {
    if (expr !== '?') fail('a question mark cannot be combined with other characters');
    if (field !== DAY && field !== DOW) fail('a question mark is allowed only in day of month or day of week');
    expr = '*';
  }
  const list: (string | number)[] = expr.split(',');
  const result: (number | string)[] = [];
  while (list.length > 0) {
    let e = String(list.pop());
    let nth: string | number | undefined;
    if (field === DOW) {
      const special = SPECIAL_DOW.exec(e)?.groups;
      if (special?.he) {
        nth = Number(special.last);
        if (!(nth >= 1 && nth <= 5)) fail(`invalid nth day of week ${special.last}`);
        e = special.he;
      } else if (special?.last) {
        e = special.last;
        nth = special.pre;
      }
    }
    const [min, max] = RANGES[field]!;
    let t = e.replace(/^\*(\/.+)$/, `${min}-${max}$1`);
    let m = STEP_SEARCH.exec(t);
    if (!m) {
      t = e.replace(/^(.+)\/(.+)$/, `$1-${max}/$2`);
      m = STEP_SEARCH.exec(t);
    }
    if (m) {
      let low: string | number = m[1]!;
      let high: string | number = field === DAY && m[2] === 'l' ? '31' : m[2]!;
      const step = Number(m[4] ?? 1);
      if (!ONLY_INT.test(low)) low = String(alphaconv(field, low));
      if (!ONLY_INT.test(high)) high = String(alphaconv(field, high));
      if (!ONLY_INT.test(low) || !ONLY_INT.test(high)) fail(`bands ${low}-${high} are not acceptable`);
      const [lo, hi] = [valueAlias(Number(low), field, fields) as number, valueAlias(Number(high), field, fields) as number];
      if (Math.max(lo, hi) > Math.max(min, max)) fail(`${lo}-${hi} is out of range`);
      if (step === 0) fail('a step of 0'); // Python's range() raises for a zero step (L1070-L1073)
      let range: number[] = [];
      if (lo > hi) {
        for (let v = lo; v <= max; v += step) range.push(v);
        const whole = Array.from({ length: max - min + 1 }, (_, i) => min + i);
        let skip = 0;
        if (range.length > 0) {
          const last = range[range.length - 1]!;
          const alreadySkipped = [...whole].reverse().indexOf(last);
          if (whole.indexOf(last) + step > whole.length && alreadySkipped < step) skip = step - alreadySkipped;
        }
        for (let v = min + skip; v <= hi; v += step) range.push(v);
      } else if (lo === hi) {
        for (let v = min; v <= max; v += step) range.push(v);
      } else {
        for (let v = lo; v <= hi; v += step) range.push(v);
      }
      const items: (number | string)[] = field === DOW && nth !== undefined && nth !== 'l' ? range.map((v) => `${v}#${nth}`) : range;
      for (const item of items) if (!list.includes(item)) list.push(item);
    } else {
      if (t.startsWith('-')) fail('negative numbers are not allowed');
      let value: number | string = STAR_OR_INT.test(t) ? t : alphaconv(field, t);
      if (typeof value === 'string' && ONLY_INT.test(value)) value = Number(value);
      value = valueAlias(value, field, fields);
      if (value !== '*' && value !== 'l' && (Number(value) < min || Number(value) > max)) fail(`${value} is out of range ${min}-${max}`);
      result.push(value);
      if (field === DOW && nth !== undefined) {
        const key = String(value);
        nthWeekdays.set(key, (nthWeekdays.get(key) ?? new Set()).add(nth));
      }
    }
  }
  return [...new Set(result.map(String))];
}

/** Why Prefect refuses a cron string, or undefined when it accepts it. */
export function cronProblem(cron: string): string | undefined {
  const lowered = cron.toLowerCase();
  const fields = (ALIASES[lowered] ?? lowered).split(/\s+/).filter(Boolean);
  if (![5, 6, 7].includes(fields.length)) return `has ${fields.length} fields; croniter takes 5 (minute hour day month weekday), 6 (+ seconds) or 7 (+ year), or an alias such as @daily`;
  try {
    const nth = new Map<string, Set<string | number>>();
    const expanded = fields.map((f, i) => expandField(i, f, fields.length, nth));
    if (nth.size > 0) {
      const dow = new Set(expanded[DOW]);
      const literal = [...dow].filter((v) => !nth.has(String(v)) && v !== '*');
      if (literal.length > 0 && dow.size !== 7) return 'mixes literal weekdays with nth-weekday syntax, which croniter does not support';
    }
  } catch (error) {
    if (error instanceof CronSyntaxError) return error.message;
    throw error;
  }
  return undefined;
}
