/**
 * A template as CloudFormation would create it under given parameter values: resources and
 * outputs whose Condition is false are gone, each Fn::If is replaced by the branch it takes, and
 * AWS::NoValue removes its property or list item
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html).
 * Refs, GetAtts and Subs stay as they are, so the policy checks still see what they refer to.
 * Conditions are evaluated by the validators' own evaluator (scripts/lib/validation/conditionLogic.ts).
 */
import { conditionValues, type ParameterValues, type TemplateLogic } from '../../scripts/lib/validation/conditionLogic';
import type { CfnTemplate } from './types';

const REMOVED = Symbol('AWS::NoValue');

function resolveValue(value: unknown, conditions: Readonly<Record<string, boolean>>): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, conditions)).filter((item) => item !== REMOVED);
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [key, inner] = entries[0]!;
    if (key === 'Ref' && inner === 'AWS::NoValue') return REMOVED;
    if (key === 'Fn::If') {
      const [name, whenTrue, whenFalse] = inner as [string, unknown, unknown];
      if (!(name in conditions)) throw new Error(`Fn::If names an unknown Condition ${name}`);
      return resolveValue(conditions[name] ? whenTrue : whenFalse, conditions);
    }
  }
  const resolved: Record<string, unknown> = {};
  for (const [key, inner] of entries) {
    const v = resolveValue(inner, conditions);
    if (v !== REMOVED) resolved[key] = v;
  }
  return resolved;
}

/** The template under these values (a parameter without a value takes its Default). */
export function resolveUnder<T extends CfnTemplate>(template: T, values: ParameterValues = {}): T {
  const conditions = conditionValues(template as unknown as TemplateLogic, values);
  const exists = (entry: { Condition?: string }) => entry.Condition === undefined || conditions[entry.Condition] === true;
  const keep = <V extends { Condition?: string }>(section: Record<string, V> = {}) =>
    Object.fromEntries(Object.entries(section).filter(([, entry]) => exists(entry)).map(([id, entry]) => [id, resolveValue(entry, conditions)])) as Record<string, V>;
  return { ...template, Resources: keep(template.Resources), ...(template.Outputs ? { Outputs: keep(template.Outputs as Record<string, { Condition?: string; Value: unknown }>) } : {}) };
}
