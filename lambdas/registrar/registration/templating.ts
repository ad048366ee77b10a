/**
 * The passes `prefect deploy` makes over a deployment entry (3.6.28:src/prefect/cli/deploy/
 * _core.py:L86-L94, L304-L319, L360), done at registration: block placeholders, then
 * variables, through the Prefect API; then the step outputs, which here are the pushed image's.
 * Pull steps get only the step outputs and keep everything else for run time, as Prefect does.
 */
import { getFromDict, placeholdersIn, pythonStr, wholePlaceholder, type Json } from '../manifest/placeholders';
import { TemplateError } from '../errors';
import type { PushedImage } from './plan';
import { imageName, imageReference } from './plan';

const NOT_SET = Symbol('NotSet');
type Applied = Json | typeof NOT_SET;

export interface ApplyOptions {
  /** Drop a dict key (or blank text) whose placeholder has no value. @default true */
  readonly removeNotSet?: boolean;
  /** Placeholders with these prefixes stay verbatim (`ctx.`: the worker resolves them). */
  readonly skipPrefixes?: readonly string[];
}

/**
 * Prefect's apply_values (templating/__init__.py:L129-L251) with one deliberate difference:
 * `{{ $ENV }}` never resolves, because the Lambda's environment is not the one `prefect deploy`
 * would have read. Manifest checks refuse it outside pull steps; inside them it stays for run
 * time, as Prefect keeps an unset one (L203-L205 with remove_notset=False). A list item whose
 * placeholder has no value is kept in pull steps, where Prefect drops it (its issue #15096).
 */
export function applyValues(template: Json, values: Json, options: ApplyOptions = {}): Applied {
  const removeNotSet = options.removeNotSet ?? true;
  if (template === null || typeof template === 'number' || typeof template === 'boolean') return template;
  if (typeof template === 'string') {
    const placeholders = placeholdersIn(template).filter((p) => !(options.skipPrefixes ?? []).some((prefix) => p.name.startsWith(prefix)));
    if (placeholders.length === 0) return template;
    const whole = wholePlaceholder(template);
    if (whole && whole.kind === 'standard' && placeholders.length === 1) {
      const value = getFromDict(values, whole.name);
      return value === undefined ? NOT_SET : value;
    }
    let text = template;
    for (const p of placeholders) {
      if (p.kind !== 'standard' && p.kind !== 'env') continue;
      const value = p.kind === 'standard' ? getFromDict(values, p.name) : undefined;
      if (value === undefined) {
        if (removeNotSet) text = text.replaceAll(p.fullMatch, '');
      } else text = text.replaceAll(p.fullMatch, pythonStr(value));
    }
    return text;
  }
  if (Array.isArray(template)) {
    const applied = template.map((item) => applyValues(item, values, options));
    return applied.flatMap((item, i) => (item !== NOT_SET ? [item] : removeNotSet ? [] : [template[i]!]));
  }
  const result: Record<string, Json> = {};
  for (const [key, value] of Object.entries(template)) {
    const applied = applyValues(value, values, options);
    if (applied !== NOT_SET) result[key] = applied;
    else if (!removeNotSet) result[key] = value;
  }
  return result;
}

/** `{{ <step id>.image }}` and flat `{{ image }}`: what the build and push steps would output. */
export function imageStepOutputs(stepIds: readonly string[], pushed: PushedImage): Record<string, Json> {
  // prefect_docker build/push steps return {image_name, tag, image, ...}
  // (3.6.28:src/integrations/prefect-docker/prefect_docker/deployments/steps.py:L324-L330, L554-L559);
  // `image` here is pinned by digest, so a moved tag cannot change what runs.
  const outputs = { image: imageReference(pushed), image_name: imageName(pushed), tag: pushed.tag };
  // steps/core.py:L212-L215: outputs are stored under the step id and as flat keys.
  return { ...outputs, ...Object.fromEntries(stepIds.map((id) => [id, outputs])) };
}

/** How the registrar reads blocks and variables from Prefect (see resolve.ts). */
export interface PrefectValues {
  /** A block document's data; throws when it does not exist (as Prefect's ObjectNotFound). */
  block(typeSlug: string, documentName: string): Promise<Record<string, Json>>;
  /** A variable's value; undefined when it does not exist. */
  variable(name: string): Promise<Json | undefined>;
}

/** resolve_block_document_references for strings (templating/__init__.py:L348-L405). */
async function resolveBlock(template: string, prefect: PrefectValues): Promise<Json> {
  const placeholders = placeholdersIn(template);
  if (!placeholders.some((p) => p.kind === 'block')) return template;
  const whole = wholePlaceholder(template);
  if (!whole || whole.kind !== 'block') {
    throw new TemplateError(`Invalid template: ${JSON.stringify(template)}. Only a single block placeholder is allowed in a string and no surrounding text is allowed.`);
  }
  const [typeSlug, documentName, keypath] = splitBlockName(whole.name);
  if (documentName === undefined) throw new TemplateError(`Invalid block placeholder format: '${whole.name}'. Expected format: prefect.blocks.<block-type-slug>.<block-document-name>`);
  let data: Json = await prefect.block(typeSlug, documentName);
  // L380-L383: a block whose data is only {"value": ...} resolves to that value, unless the keypath starts with "value".
  if (data && typeof data === 'object' && !Array.isArray(data) && Object.keys(data).length === 1 && 'value' in data && !(keypath ?? '').startsWith('value')) {
    data = data.value!;
  }
  if (keypath === undefined) return data;
  const selected = getFromDict(data, keypath);
  if (selected === undefined) throw new TemplateError(`Invalid template: ${JSON.stringify(template)}. Could not resolve the keypath in the block document data.`);
  return selected;
}

/** L364-L372: `split(".", 2)` after the prefix: type slug, document name, keypath. */
export function splitBlockName(name: string): [string, string | undefined, string | undefined] {
  const rest = name.slice('prefect.blocks.'.length);
  const first = rest.indexOf('.');
  if (first < 0) return [rest, undefined, undefined];
  const second = rest.indexOf('.', first + 1);
  return second < 0 ? [rest.slice(0, first), rest.slice(first + 1), undefined] : [rest.slice(0, first), rest.slice(first + 1, second), rest.slice(second + 1)];
}

/** resolve_variables for strings (L429-L459): missing variables become "" (whole) or vanish (embedded). */
async function resolveVariable(template: string, prefect: PrefectValues): Promise<Json> {
  const placeholders = placeholdersIn(template);
  if (!placeholders.some((p) => p.kind === 'variable')) return template;
  const whole = wholePlaceholder(template);
  if (whole?.kind === 'variable') return (await prefect.variable(whole.name.slice('prefect.variables.'.length))) ?? '';
  let text = template;
  for (const p of placeholders.filter((q) => q.kind === 'variable')) {
    const value = await prefect.variable(p.name.slice('prefect.variables.'.length));
    text = text.replaceAll(p.fullMatch, value === undefined ? '' : pythonStr(value));
  }
  return text;
}

async function mapStrings(value: Json, resolve: (text: string) => Promise<Json>): Promise<Json> {
  if (typeof value === 'string') return resolve(value);
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (const item of value) out.push(await mapStrings(item, resolve));
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await mapStrings(v, resolve);
    return out;
  }
  return value;
}

/** Blocks, then variables, over the whole value (_core.py:L90-L91). */
export async function resolvePrefectValues(value: Json, prefect: PrefectValues): Promise<Json> {
  const withBlocks = await mapStrings(value, (text) => resolveBlock(text, prefect));
  return mapStrings(withBlocks, (text) => resolveVariable(text, prefect));
}
