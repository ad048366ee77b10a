/**
 * The DTSTART a Prefect server writes into an rrule that has none: 3.6.28's
 * normalize_rrule_string (src/prefect/_internal/schemas/validators.py:L313-L422, PrefectHQ/prefect
 * #21362), ported for the registrar's comparison (a rule read back must count as the one sent) and
 * for the Prefect stand-in. test/integration/prefectParity.test.ts checks it against what Prefect's
 * own function answered (test/fixtures/prefect/parity-3.6.28.json). Where dateutil would refuse the rule the server leaves it as it is, and so does
 * this port (the server's validator reports it).
 */

/** DEFAULT_RRULE_ANCHOR (L313): dateutil's implicit anchor, as `%Y%m%dT%H%M%S`. */
export const DEFAULT_RRULE_ANCHOR = '20200101T000000';
const ANCHOR_MS = Date.UTC(2020, 0, 1);

/** The frequencies that may be phase-advanced (L388-L393): seconds per unit. */
const ADVANCED: Record<string, number> = { SECONDLY: 1, MINUTELY: 60 };

type Shape = { readonly kind: 'set' } | { readonly kind: 'rule'; readonly freq: string; readonly interval: number; readonly count: boolean };

const FREQS = ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY'];
const SET_PARTS = ['RRULE', 'RDATE', 'EXRULE', 'EXDATE'];

/** One RRULE value as dateutil's `_parse_rfc_rrule` reads it; undefined where it raises. */
function ruleOf(value: string): Shape | undefined {
  const parts = new Map(value.split(';').map((p) => p.split('=') as [string, string]));
  const interval = Number(parts.get('INTERVAL') ?? '1');
  if (!FREQS.includes(parts.get('FREQ') ?? '') || !/^\d+$/.test(parts.get('INTERVAL') ?? '1') || interval < 1) return undefined;
  return { kind: 'rule', freq: parts.get('FREQ')!, interval, count: parts.has('COUNT') };
}

/**
 * The rule as normalize_rrule_string sees it through dateutil's rrulestr `_parse_rfc`: the text
 * upper-cased and split on white space; one token without a name (or `RRULE:`) is a rule, several
 * are a set unless they are exactly one RRULE. Undefined where dateutil raises (the server then
 * stores the text as it is).
 */
function shapeOf(rule: string): Shape | undefined {
  const tokens = rule.toUpperCase().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return undefined;
  if (tokens.length === 1 && (!tokens[0]!.includes(':') || tokens[0]!.startsWith('RRULE:'))) return ruleOf(tokens[0]!.replace(/^RRULE:/, ''));
  const named = tokens.map((t) => (t.includes(':') ? [t.slice(0, t.indexOf(':')).split(';')[0]!, t.slice(t.indexOf(':') + 1)] : ['RRULE', t]) as [string, string]);
  if (named.some(([name]) => !SET_PARTS.includes(name))) return undefined;
  const rules = named.filter(([name]) => name === 'RRULE' || name === 'EXRULE').map(([, value]) => ruleOf(value));
  if (rules.some((r) => r === undefined)) return undefined;
  return named.length === 1 && named[0]![0] === 'RRULE' ? rules[0] : { kind: 'set' };
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 15);

/** normalize_rrule_string(rule, now=now): the rule as the server stores it. */
export function normalizeRrule(rule: string, now: Date): string {
  if (rule.toUpperCase().includes('DTSTART')) return rule;
  const shape = shapeOf(rule);
  if (!shape) return rule;
  const anchored = (ms: number) => `DTSTART:${stamp(ms)}\n${rule}`;
  // Sets, COUNT, and anything slower than MINUTELY keep the legacy anchor (L374-L394).
  const unit = shape.kind === 'rule' && !shape.count ? ADVANCED[shape.freq] : undefined;
  const delta = now.getTime() - ANCHOR_MS;
  if (unit === undefined || shape.kind !== 'rule' || delta <= 0) return anchored(ANCHOR_MS);
  const period = unit * shape.interval * 1000;
  return anchored(ANCHOR_MS + Math.floor(delta / period) * period);
}

const lines = (text: string) => text.replace(/\r\n?/g, '\n').trim();

/**
 * Whether `stored` is what a server keeps for the `sent` rule: the same text when `sent` has its
 * own DTSTART (the server leaves it alone); without one, the same text (a server before the
 * injection) or the text behind an injected DTSTART: the 2020 anchor, or for SECONDLY/MINUTELY
 * rules without COUNT a phase-equivalent later anchor (any time a whole number of periods after it).
 * A DTSTART the manifest dropped, or changed, is therefore a change.
 */
export function sameStoredRrule(sent: string, stored: string): boolean {
  if (/DTSTART/i.test(sent) || lines(stored) === lines(sent)) return lines(stored) === lines(sent);
  const injected = /^DTSTART:(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\n([\s\S]*)$/.exec(lines(stored));
  if (!injected || lines(injected[7]!) !== lines(sent)) return false;
  const [year, month, day, hour, minute, second] = injected.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const at = Date.UTC(year, month - 1, day, hour, minute, second);
  if (at === ANCHOR_MS) return true;
  const shape = shapeOf(sent);
  const unit = shape?.kind === 'rule' && !shape.count ? ADVANCED[shape.freq] : undefined;
  return unit !== undefined && shape?.kind === 'rule' && at > ANCHOR_MS && (at - ANCHOR_MS) % (unit * shape.interval * 1000) === 0;
}
