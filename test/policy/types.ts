/** Shapes the policy checks share (cdk-nag style: one pure check per file). */
export type Verdict = 'COMPLIANT' | 'NON_COMPLIANT' | 'N/A' | 'UNRESOLVABLE';

export interface PolicyStatement {
  Effect?: string;
  Action?: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** One IAM statement found in a template, with where it came from. */
export interface LocatedStatement {
  readonly resource: string;
  readonly path: string;
  readonly statement: PolicyStatement;
}

export interface CfnTemplate {
  Parameters?: Record<string, { Type: string; NoEcho?: boolean; Default?: unknown; AllowedValues?: unknown[] }>;
  Rules?: Record<string, { RuleCondition?: unknown; Assertions: { Assert: unknown; AssertDescription: string }[] }>;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Condition?: string }>;
  Outputs?: Record<string, { Value: unknown }>;
}

export const actionsOf = (s: PolicyStatement): string[] => (s.Action === undefined ? [] : Array.isArray(s.Action) ? s.Action : [s.Action]);
export const resourcesOf = (s: PolicyStatement): unknown[] => (s.Resource === undefined ? [] : Array.isArray(s.Resource) ? s.Resource : [s.Resource]);
