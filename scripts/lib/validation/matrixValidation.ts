/**
 * AWS CloudFormation Validate over one template: without parameter values, and under every
 * combination of the parameter matrix, on the SAM template (what is published) and on its SAM
 * expansion (the Lambda resources SAM generates). Findings are judged against the exemptions.
 */
import { cfnValidate, isBlocking, type Severity, type ValidateFinding } from './cfnValidate';
import { conditionValues, failedAssertions, type TemplateLogic } from './conditionLogic';
import { defaultValues, parameterMatrix, type ParameterMatrix, type Scenario } from './parameterMatrix';
import { DEAD_BRANCH_RULES, VALIDATE_EXEMPTIONS, type ValidateExemption } from './validateExemptions';

export interface ValidateRun {
  /** "no values", or the matrix scenario's name. */
  readonly scenario: string;
  readonly form: 'template' | 'expanded';
  readonly status: string;
  readonly findings: readonly ValidateFinding[];
}

/** A finding, with the run it came from. */
export interface LocatedFinding extends ValidateFinding {
  readonly scenario: string;
  readonly form: ValidateRun['form'];
}

export interface MatrixValidation {
  readonly matrix: ParameterMatrix;
  readonly runs: readonly ValidateRun[];
  /** FATAL/ERROR findings, and warnings no exemption covers: each fails validation. */
  readonly failures: readonly LocatedFinding[];
  /** Warnings an exemption covers. */
  readonly exempted: readonly LocatedFinding[];
  /** Matrix runs: W1028/W2503 about branches the values do not take (DEAD_BRANCH_RULES). */
  readonly deadBranches: readonly LocatedFinding[];
  /**
   * The run without values: findings that pair a parameter's default with Condition values that
   * default excludes, set aside (see `judgeDefaultPairing`). The engine pairs each default with
   * every Condition value, e.g. the default "" of FlowRunManagedPolicyArns with
   * HasFlowRunManagedPolicies=true, which "" makes false; a matrix run checks that branch with a
   * real value.
   */
  readonly excludedByDefaults: readonly SetAside[];
  readonly usedExemptions: readonly ValidateExemption[];
  /** Exemptions naming a logical ID of this template that covered nothing here. */
  readonly unusedExemptions: readonly ValidateExemption[];
  readonly milliseconds: number;
}

export const WITHOUT_VALUES = 'no values';

const covers = (e: ValidateExemption, f: ValidateFinding) => !isBlocking(f) && e.rule === f.ruleId && e.resources.includes(f.logicalId);

/** Counts by severity, e.g. for the summary. */
export function severityCounts(findings: readonly ValidateFinding[]): Record<Extract<Severity, 'FATAL' | 'ERROR' | 'WARN'>, number> {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return { FATAL: count('FATAL'), ERROR: count('ERROR'), WARN: count('WARN') };
}

export function validateUnderMatrix(
  name: string,
  forms: { readonly template: string; readonly expanded?: string },
  exemptions: readonly ValidateExemption[] = VALIDATE_EXEMPTIONS,
): MatrixValidation {
  const started = Date.now();
  const template = JSON.parse(forms.template) as PairingTemplate & { Outputs?: object };
  const matrix = parameterMatrix(template);
  const runs: ValidateRun[] = [];
  for (const [form, text] of Object.entries(forms) as [ValidateRun['form'], string | undefined][]) {
    if (text === undefined) continue;
    const label = `${name}.${form}.json`;
    runs.push({ scenario: WITHOUT_VALUES, form, ...cfnValidate(text, label) });
    for (const scenario of matrix.scenarios) runs.push({ scenario: scenario.name, form, ...cfnValidate(text, label, scenario.values) });
  }
  const located = runs.flatMap((run) => run.findings.map((f) => ({ ...f, scenario: run.scenario, form: run.form })));
  const templates = { template, expanded: forms.expanded === undefined ? undefined : (JSON.parse(forms.expanded) as PairingTemplate) };
  const deadBranches = located.filter((f) => f.scenario !== WITHOUT_VALUES && f.ruleId in DEAD_BRANCH_RULES);
  const excludedByDefaults = located.flatMap((f) => {
    const verdict = f.scenario === WITHOUT_VALUES ? judgeDefaultPairing(templates[f.form] ?? template, matrix.scenarios, f) : undefined;
    return verdict?.setAside ? [{ finding: f, parameter: verdict.parameter, conditions: verdict.conditions, coveredBy: verdict.coveredBy }] : [];
  });
  const setAside = new Set<LocatedFinding>(excludedByDefaults.map((e) => e.finding));
  const judged = located.filter((f) => !deadBranches.includes(f) && !setAside.has(f));
  const exempted = judged.filter((f) => exemptions.some((e) => covers(e, f)));
  const failures = judged.filter((f) => !exemptions.some((e) => covers(e, f)));
  const ids = new Set([...Object.keys(template.Resources), ...Object.keys(template.Parameters ?? {}), ...Object.keys(template.Outputs ?? {})]);
  const usedExemptions = exemptions.filter((e) => located.some((f) => covers(e, f)));
  const unusedExemptions = exemptions.filter((e) => e.resources.some((id) => ids.has(id)) && !usedExemptions.includes(e));
  return { matrix, runs, failures, exempted, deadBranches, excludedByDefaults, usedExemptions, unusedExemptions, milliseconds: Date.now() - started };
}

/** A finding of the run without values set aside, with what justifies it. */
export interface SetAside {
  readonly finding: LocatedFinding;
  /** The parameter whose Default is the offending value. */
  readonly parameter: string;
  /** The Condition values the finding is about, e.g. "HasFlowRunManagedPolicies=true". */
  readonly conditions: string;
  /** The index in the matrix's scenarios of a run that takes those Condition values with real values. */
  readonly coveredBy: number;
}

type PairingTemplate = TemplateLogic & { readonly Resources: Readonly<Record<string, { readonly Condition?: string; readonly Properties?: unknown }>> };

export type PairingVerdict =
  | { readonly setAside: true; readonly parameter: string; readonly conditions: string; readonly coveredBy: number }
  | { readonly setAside: false; readonly reason: string };

/** The parameters a value reads through Ref (inside Fn::If, Fn::Split, Fn::Join, lists …). */
function parametersRead(template: TemplateLogic, value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => parametersRead(template, item, into));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string' && template.Parameters?.[inner]) into.add(inner);
      else parametersRead(template, inner, into);
    }
  }
  return into;
}

/** What the engine's path points at: `Properties.A.B.{}` walks A and B and stops at a list member or an intrinsic. */
function valueAtPath(resource: unknown, path: string): unknown {
  let value = resource;
  for (const key of path.split('.')) {
    if (!value || typeof value !== 'object' || !(key in value)) break;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * The value a finding complains about, as the engine quotes it: `'' does not match …` or
 * `{'Ref': 'P'} default '' has length 0 …` (which also names the parameter).
 */
function offendingValue(message: string): { value: string; parameter?: string } | undefined {
  const ref = /^\{'Ref': '([^']+)'\} default '([^']*)'/.exec(message);
  if (ref) return { parameter: ref[1]!, value: ref[2]! };
  const quoted = /^'([^']*)' /.exec(message);
  return quoted ? { value: quoted[1]! } : undefined;
}

/**
 * Whether a finding of the run without values may be set aside because it pairs a parameter's
 * Default with Condition values that Default excludes. It may only if all three hold, and
 * otherwise it is judged like any finding (a FATAL or ERROR fails):
 * 1. its Condition values (the engine's conditionScenario, and its resource's Condition being
 *    true) contradict the defaults' Condition values;
 * 2. a matrix run that CloudFormation accepts takes every one of those Condition values, so that
 *    branch is validated with real values (a literal defect there fails that run);
 * 3. the value the engine quotes is the Default of a parameter the finding's path reads.
 */
export function judgeDefaultPairing(template: PairingTemplate, scenarios: readonly Scenario[], finding: ValidateFinding): PairingVerdict | undefined {
  const resourceCondition = template.Resources[finding.logicalId]?.Condition;
  const needed: Record<string, boolean> = { ...(finding.conditionScenario ?? {}), ...(resourceCondition ? { [resourceCondition]: true } : {}) };
  const defaults = conditionValues(template, defaultValues(template));
  if (!Object.entries(needed).some(([name, value]) => defaults[name] !== undefined && defaults[name] !== value)) return undefined;
  const conditions = Object.entries(needed).map(([name, value]) => `${name}=${value}`).join(', ');
  const coveredBy = scenarios.findIndex((s) => {
    const values = conditionValues(template, s.values);
    return failedAssertions(template, s.values).length === 0 && Object.entries(needed).every(([name, value]) => values[name] === value);
  });
  if (coveredBy < 0) return { setAside: false, reason: `no accepted matrix run takes ${conditions}` };
  const quoted = offendingValue(finding.message);
  if (!quoted) return { setAside: false, reason: 'the message quotes no value to compare with a Default' };
  const read = quoted.parameter ? [quoted.parameter] : [...parametersRead(template, valueAtPath(template.Resources[finding.logicalId], finding.path))];
  const parameter = read.find((p) => template.Parameters?.[p]?.Default !== undefined && String(template.Parameters[p]!.Default) === quoted.value);
  if (!parameter) return { setAside: false, reason: `'${quoted.value}' is not the Default of a parameter that ${finding.path} reads (${read.join(', ') || 'none'})` };
  return { setAside: true, parameter, conditions, coveredBy };
}
