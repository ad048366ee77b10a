/**
 * Template fragments (the part of a template one builder owns), the merge that joins them and
 * rejects a logical ID defined twice, and the published template's shape.
 */
import type { Template } from 'cloudform';
import type { CfnValue } from './cfn';
import { DuplicateLogicalIdError } from './errors';
import type { CondId, ParamId, ResId } from './ids';

type Section<K extends keyof Template> = NonNullable<Template[K]>[string];

/** A CloudFormation rule (the `Rules` section, which cloudform's Template type lacks). */
export interface TemplateRule {
  RuleCondition?: CfnValue;
  Assertions: { Assert: CfnValue; AssertDescription: string }[];
}

/**
 * A part of a template that one builder owns, keyed by typed logical IDs (ids.ts). Sections are
 * merged by `mergeFragments`.
 */
export interface TemplateFragment {
  Parameters?: Partial<Record<ParamId, Section<'Parameters'>>>;
  Conditions?: Partial<Record<CondId, Section<'Conditions'>>>;
  Rules?: Record<string, TemplateRule>;
  Resources?: Partial<Record<ResId, Section<'Resources'>>>;
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
