/**
 * Prefect's `{{ ... }}` placeholders, read the way `prefect deploy` reads them (Prefect 3.6.28,
 * src/prefect/utilities/templating/__init__.py), and the step outputs the registrar can stand
 * in for: the pushed image. Pure: values in, values out; block and variable look-ups are given.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** 3.6.28:src/prefect/utilities/templating/__init__.py:L30 `({{\s*([\w\.\-\[\]$]+)\s*}})` */
const PLACEHOLDER = /\{\{\s*([\w.\-[\]$]+)\s*\}\}/g;

/** templating/__init__.py:L52-L69: the prefix decides the kind. */
export type PlaceholderKind = 'block' | 'variable' | 'env' | 'standard';

export interface Placeholder {
  readonly fullMatch: string;
  readonly name: string;
  readonly kind: PlaceholderKind;
}

export function kindOf(name: string): PlaceholderKind {
  if (name.startsWith('prefect.blocks.')) return 'block';
  if (name.startsWith('prefect.variables.')) return 'variable';
  if (name.startsWith('$')) return 'env';
  return 'standard';
}

/** The distinct placeholders of a string (Prefect collects them in a set: L72-L90). */
export function placeholdersIn(text: string): Placeholder[] {
  const seen = new Map<string, Placeholder>();
  for (const match of text.matchAll(PLACEHOLDER)) seen.set(match[0], { fullMatch: match[0], name: match[1]!, kind: kindOf(match[1]!) });
  return [...seen.values()];
}

/** The one placeholder a string consists of, with no surrounding text; undefined otherwise. */
export function wholePlaceholder(text: string): Placeholder | undefined {
  const found = placeholdersIn(text);
  return found.length === 1 && found[0]!.fullMatch === text ? found[0] : undefined;
}

/**
 * Python's str() of a JSON value, which Prefect uses when a placeholder is embedded in text
 * (L218 `template.replace(full_match, str(value))`, L458 for variables): `True`, `None`,
 * `{'a': 1}`. A JSON number has no int/float distinction: 1.0 prints as `1`.
 */
export function pythonStr(value: Json): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

function pythonRepr(value: Json): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const escaped = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
    return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
}

/**
 * Prefect's get_from_dict (3.6.28:src/prefect/utilities/collections.py:L630-L676): the path split
 * on "." after `[`/`]` become dots; a part Python's int() reads indexes a list or a string
 * (negative from the end), any other part is a mapping key; undefined where Python raises
 * TypeError, KeyError or IndexError.
 */
export function getFromDict(value: Json | undefined, path: string): Json | undefined {
  let current: Json | undefined = value;
  for (const part of path.replace(/\[/g, '.').replace(/\]/g, '').split('.')) {
    if (/^\s*[+-]?\d+(?:_\d+)*\s*$/.test(part)) {
      // A JSON mapping's keys are text, so an int key is a KeyError there.
      if (!Array.isArray(current) && typeof current !== 'string') return undefined;
      const n = Number(part.replace(/_/g, ''));
      const i = n < 0 ? current.length + n : n;
      if (i < 0 || i >= current.length) return undefined;
      current = current[i];
    } else {
      if (!current || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, part)) return undefined;
      current = current[part];
    }
  }
  return current;
}

/** Whether any string inside the value has a placeholder of these kinds. */
export function hasPlaceholders(value: Json | undefined, kinds: readonly PlaceholderKind[] = ['block', 'variable', 'env', 'standard']): boolean {
  if (typeof value === 'string') return placeholdersIn(value).some((p) => kinds.includes(p.kind));
  if (Array.isArray(value)) return value.some((item) => hasPlaceholders(item, kinds));
  if (value && typeof value === 'object') return Object.values(value).some((item) => hasPlaceholders(item, kinds));
  return false;
}

/** Every string inside a value with its path (`work_pool.job_variables.image`, `tags[0]`). */
export function stringsWithPaths(value: Json | undefined, path = '', into: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') into.push([path, value]);
  else if (Array.isArray(value)) value.forEach((item, i) => stringsWithPaths(item, `${path}[${i}]`, into));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) stringsWithPaths(v, path ? `${path}.${k}` : k, into);
  return into;
}
