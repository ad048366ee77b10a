/**
 * The small vocabulary every builder shares: intrinsic functions in the forms we want to
 * emit, template fragments, and the composer that joins fragments and rejects duplicates.
 *
 * cloudform's own `Fn.Sub` always emits the two-argument form (`["…", {}]`); we emit the
 * one-argument form wherever there are no variables so YAML output reads as `!Sub "…"`.
 */
import { IntrinsicFunction, Fn, type ResourceBase, type Template } from 'cloudform';
import type { Condition, Value } from 'cloudform-types/types/dataTypes';

export type { Value, Condition };
export type Intrinsic = IntrinsicFunction;

/** A JSON value that may contain intrinsic functions. */
export type CfnValue = unknown;

export const ref = (logicalId: string): Intrinsic => Fn.Ref(logicalId);
export const getAtt = (logicalId: string, attribute: string): Intrinsic => Fn.GetAtt(logicalId, attribute);
export const noValue = (): Intrinsic => Fn.Ref('AWS::NoValue');

/** `Fn::Sub` in its one-argument form; pass `vars` only when the string needs them. */
export function sub(text: string, vars?: Record<string, CfnValue>): Intrinsic {
  return new IntrinsicFunction('Fn::Sub', vars && Object.keys(vars).length > 0 ? [text, vars] : text);
}

export const iff = (condition: string, whenTrue: CfnValue, whenFalse: CfnValue): Intrinsic =>
  Fn.If(condition, whenTrue, whenFalse);
export const equals = (left: CfnValue, right: CfnValue): Intrinsic => Fn.Equals(left, right);
export const not = (condition: Condition): Intrinsic => Fn.Not(condition);
export const and = (...conditions: Condition[]): Intrinsic => Fn.And(conditions);
export const or = (...conditions: Condition[]): Intrinsic => Fn.Or(conditions);
export const conditionRef = (name: string): Condition => ({ Condition: name });
export const select = (index: number, list: CfnValue): Intrinsic => Fn.Select(index, list as Value<string>[]);
export const split = (delimiter: string, text: CfnValue): Intrinsic => Fn.Split(delimiter, text as Value<string>);
export const join = (delimiter: string, parts: CfnValue[]): Intrinsic => Fn.Join(delimiter, parts);

/** An ARN in this stack's partition, region and account (DESIGN.md: no hard-coded ARNs). */
export const arn = (service: string, resource: string, opts: { region?: boolean; account?: boolean } = {}): Intrinsic =>
  sub(
    `arn:\${AWS::Partition}:${service}:${opts.region === false ? '' : '${AWS::Region}'}:` +
      `${opts.account === false ? '' : '${AWS::AccountId}'}:${resource}`,
  );

/** A CloudFormation rule (the `Rules` section, which cloudform's Template type lacks). */
export interface TemplateRule {
  RuleCondition?: CfnValue;
  Assertions: { Assert: CfnValue; AssertDescription: string }[];
}

/** A part of a template that one builder owns. Sections are merged by `composeTemplate`. */
export interface TemplateFragment {
  Parameters?: NonNullable<Template['Parameters']>;
  Conditions?: NonNullable<Template['Conditions']>;
  Rules?: Record<string, TemplateRule>;
  Resources?: NonNullable<Template['Resources']>;
  Outputs?: NonNullable<Template['Outputs']>;
}

/** A complete template as JSON-ready data (what `JSON.stringify` will see). */
export interface StackTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Transform?: string;
  Description: string;
  Metadata?: Record<string, unknown>;
  Parameters: NonNullable<Template['Parameters']>;
  Rules?: Record<string, TemplateRule>;
  Conditions: NonNullable<Template['Conditions']>;
  Resources: NonNullable<Template['Resources']>;
  Outputs: NonNullable<Template['Outputs']>;
}

/** The SAM transform every published template declares (its functions are AWS::Serverless::Function). */
export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** A published template from merged fragments, sections in the order CloudFormation documents them. */
export function stackTemplate(Description: string, Metadata: Record<string, unknown>, merged: Required<TemplateFragment>): StackTemplate {
  return toPlainJson({
    AWSTemplateFormatVersion: '2010-09-09',
    Transform: SAM_TRANSFORM,
    Description,
    Metadata,
    Parameters: merged.Parameters,
    Rules: merged.Rules,
    Conditions: merged.Conditions,
    Resources: merged.Resources,
    Outputs: merged.Outputs,
  }) as StackTemplate;
}

export class DuplicateLogicalIdError extends Error {
  constructor(
    readonly section: string,
    readonly logicalId: string,
  ) {
    super(`two builders define ${section}.${logicalId}; logical IDs must be unique in a template`);
    this.name = 'DuplicateLogicalIdError';
  }
}

const SECTIONS = ['Parameters', 'Conditions', 'Rules', 'Resources', 'Outputs'] as const;

/** Joins fragments section by section; a logical ID defined twice is a programming error. */
export function mergeFragments(fragments: readonly TemplateFragment[]): Required<TemplateFragment> {
  const merged: Required<TemplateFragment> = { Parameters: {}, Conditions: {}, Rules: {}, Resources: {}, Outputs: {} };
  for (const fragment of fragments) {
    for (const section of SECTIONS) {
      const target = merged[section] as Record<string, unknown>;
      for (const [id, body] of Object.entries(fragment[section] ?? {})) {
        if (id in target) throw new DuplicateLogicalIdError(section, id);
        target[id] = body;
      }
    }
  }
  return merged;
}

/**
 * Turns a template built from cloudform classes and intrinsic objects into plain JSON data.
 * Key order is the builders' insertion order, which is deterministic, so output is stable.
 */
export function toPlainJson<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value));
}

/**
 * Sets DeletionPolicy and UpdateReplacePolicy together (cfn-lint wants both). cloudform's
 * ResourceBase predates UpdateReplacePolicy, so the attribute is added here, typed.
 */
export function keepOnDeleteAndReplace<R extends ResourceBase>(resource: R, policy: 'Retain' | 'Snapshot'): R & { UpdateReplacePolicy: string } {
  resource.DeletionPolicy = policy as ResourceBase['DeletionPolicy'];
  return Object.assign(resource, { UpdateReplacePolicy: policy });
}
