/**
 * Reads a prefect.yaml as Prefect does, for synth and the preview (never bundled into the
 * Lambda, which reads the stored JSON form): `yaml.safe_load` of PyYAML
 * (3.6.28:src/prefect/cli/deploy/_config.py:L127-L136), i.e. YAML 1.1 with PyYAML's own
 * booleans and floats, then the checks of check.ts with Python's zone names and an rrule parser.
 * test/integration/prefectParity.test.ts compares the result with PyYAML's.
 */
import { parseDocument, type ScalarTag } from 'yaml';
import * as rruleModule from 'rrule';
import { ManifestError } from '../errors';
import { checkManifest, type CheckOptions, type Manifest } from './check';
import { isMapping } from './shape';
import type { Json, JsonObject } from './placeholders';
import { storedForm } from './storedForm';
import { zoneCheck } from './schedules';
import { ZONE_NAMES } from './zoneNames';

/** PyYAML's resolver (yaml/resolver.py): no y/n booleans, floats need a dot, the exponent a sign. */
const PYYAML_BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const PYYAML_FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?)$/;

class Timestamp {
  constructor(readonly text: string) {}
}

function customTags(tags: unknown[]): unknown[] {
  // Keep yaml's YAML 1.1 tags but PyYAML's booleans, decimal floats and timestamps.
  const replaced = (t: ScalarTag) =>
    t.tag === 'tag:yaml.org,2002:bool' || t.tag === 'tag:yaml.org,2002:timestamp' || (t.tag === 'tag:yaml.org,2002:float' && t.format !== 'TIME' && !String(t.test).includes('inf'));
  const kept = (tags as ScalarTag[]).filter((t) => !replaced(t));
  const bool: ScalarTag = { tag: 'tag:yaml.org,2002:bool', default: true, test: PYYAML_BOOL, resolve: (s) => /^(?:y|Y|t|T|o[nN]|O[nN])/.test(s) };
  const float: ScalarTag = { tag: 'tag:yaml.org,2002:float', default: true, test: PYYAML_FLOAT, resolve: (s) => Number(s.replace(/_/g, '')) };
  const timestamp: ScalarTag = {
    tag: 'tag:yaml.org,2002:timestamp',
    default: true,
    test: /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\.[0-9]+)?)(?:[ \t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/,
    resolve: (s) => new Timestamp(s),
  };
  return [...kept, bool, float, timestamp];
}

/**
 * A PyYAML timestamp as pydantic's JSON dump (`model_dump(mode="json")`, _config.py:L165-L167)
 * writes it: 2024-01-01, 2024-01-01T10:00:00Z, 2024-01-01T10:00:00.500000+02:00.
 */
export function timestampText(text: string): string {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[tT]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[ \t]*(Z|[-+]\d{1,2}(?::\d{2})?))?)?$/.exec(text);
  if (!m) return text;
  const two = (s: string) => s.padStart(2, '0');
  const date = `${m[1]}-${two(m[2]!)}-${two(m[3]!)}`;
  if (m[4] === undefined) return date;
  const micro = m[7] ? `.${m[7].slice(0, 6).padEnd(6, '0')}` : '';
  const zone = m[8] === undefined ? '' : m[8] === 'Z' || /^[-+]0?0(?::00)?$/.test(m[8]) ? 'Z' : `${m[8][0]}${two(m[8].slice(1).split(':')[0]!)}:${m[8].split(':')[1] ?? '00'}`;
  return `${date}T${two(m[4])}:${m[5]}:${m[6]}${micro}${zone}`;
}

/** Where a YAML timestamp is data (a flow parameter, a job variable, a step input), not a field Prefect types as text. */
const FREE_FORM = /^(?:definitions|build|push|pull)\b|^deployments\[\d+\]\.(?:parameters|work_pool\.job_variables|build|push|pull|triggers|schedules\[\d+\]\.parameters)\b/;

function plain(value: unknown, path: string, problems: string[]): Json {
  if (value instanceof Timestamp) {
    if (!FREE_FORM.test(path)) problems.push(`${path}: PyYAML reads this unquoted value as a date, where Prefect wants text: quote it`);
    return timestampText(value.text);
  }
  // Integers are read as BigInt: PyYAML keeps 123456789012345678 exact, a JSON number would not.
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      problems.push(`${path}: ${value} is beyond the integers JSON keeps exact (2^53); the registrar stores the manifest as JSON, where it would become ${Number(value)}: quote it`);
    }
    return Number(value);
  }
  if (Array.isArray(value)) return value.map((v, i) => plain(v, `${path}[${i}]`, problems));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, path ? `${path}.${k}` : k, problems)]));
  return value as Json;
}

/**
 * How many alias uses a document may expand. PyYAML has no limit; the yaml library's default of
 * 100 refuses a manifest with many `<<: *base` merges, and with none a document of nested aliases
 * could expand without end (the stored form's 8 KB limit applies only after expansion).
 */
const MAX_ALIAS_COUNT = 10_000;

/** A prefect.yaml's text as the JSON document Prefect would see. */
export function loadYaml(text: string, file: string): Json {
  const doc = parseDocument(text, { version: '1.1', customTags: customTags as never, merge: true, uniqueKeys: false, intAsBigInt: true });
  const first = (error: Error) => error.message.split('\n')[0]!.replace(/:$/, '');
  if (doc.errors.length > 0) throw new ManifestError(file, [`is not valid YAML (${first(doc.errors[0]!)})`]);
  // An unknown tag (!Ref, !!python/tuple) is a ConstructorError in safe_load: Prefect would not read the file.
  if (doc.warnings.length > 0) throw new ManifestError(file, doc.warnings.map((w) => `${first(w)}: PyYAML's safe_load refuses this (Prefect would not read the file)`));
  let loaded: unknown;
  try {
    loaded = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new ManifestError(file, [`is not valid YAML (${first(error as Error)})`]);
  }
  const problems: string[] = [];
  const document = plain(loaded ?? {}, '', problems);
  if (problems.length > 0) throw new ManifestError(file, problems);
  return document;
}

/** rrule's CommonJS build has its exports on `default` when loaded as an ES module (tsx), directly otherwise (jest). */
const { rrulestr } = ((rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule) as typeof rruleModule;

const NUMERIC_PARTS = ['INTERVAL', 'COUNT', 'BYSETPOS', 'BYMONTH', 'BYMONTHDAY', 'BYYEARDAY', 'BYWEEKNO', 'BYHOUR', 'BYMINUTE', 'BYSECOND'];

/**
 * Why dateutil's rrulestr would refuse a rule. npm rrule is a port of it, laxer in two ways the
 * parity test found, checked here as dateutil does: a rule needs FREQ, and numbers must be integers.
 */
export function rruleProblem(rule: string): string | undefined {
  try {
    rrulestr(rule);
  } catch (error) {
    return (error as Error).message;
  }
  for (const line of rule.split(/\r?\n/).filter((l) => l && !/^(DTSTART|EXDATE|RDATE)[:;]/i.test(l))) {
    const parts = new Map(line.replace(/^(RRULE|EXRULE):/i, '').split(';').map((p) => p.split('=') as [string, string]).map(([k, v]) => [k.toUpperCase(), v ?? '']));
    if (!parts.has('FREQ')) return `${line}: FREQ is missing`;
    for (const key of NUMERIC_PARTS) {
      if (parts.has(key) && !parts.get(key)!.split(',').every((v) => /^[+-]?\d+$/.test(v))) return `invalid '${key}': ${parts.get(key)}`;
    }
  }
  return undefined;
}

/**
 * The full check of synth and preview: YAML as PyYAML reads it, zone names, rrules. `document` is
 * the stored form (storedForm.ts), what the SSM parameter holds and the Lambda reads.
 */
export function readManifest(text: string, file: string, options: Omit<CheckOptions, 'timezone' | 'rrule'> = {}): { manifest: Manifest; document: JsonObject } {
  const document = loadYaml(text, file);
  if (!isMapping(document)) throw new ManifestError(file, ['must be a YAML mapping with deployments: and ecr_triggers:']);
  return { manifest: checkManifest(document, file, { ...options, timezone: zoneCheck(ZONE_NAMES), rrule: rruleProblem }), document: storedForm(document) };
}
