/**
 * AWS CloudFormation Validate over one template: without parameter values, and under every
 * combination of the parameter matrix, on the SAM template (what is published) and on its SAM
 * expansion (the Lambda resources SAM generates). Findings are judged against the exemptions.
 */
import { cfnValidate, isBlocking, type Severity, type ValidateFinding } from './cfnValidate';
import { conditionValues, type TemplateLogic } from './conditionLogic';
import { defaultValues, parameterMatrix, type ParameterMatrix } from './parameterMatrix';
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
   * The run without values: findings under Condition values that the defaults exclude. The
   * engine pairs each parameter's default with every Condition value, e.g. the default "" of
   * FlowRunManagedPolicyArns with HasFlowRunManagedPolicies=true, which "" makes false; the
   * matrix runs check the other value with a real one.
   */
  readonly excludedByDefaults: readonly LocatedFinding[];
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
  const template = JSON.parse(forms.template) as TemplateLogic & { Resources: object; Outputs?: object };
  const matrix = parameterMatrix(template);
  const runs: ValidateRun[] = [];
  for (const [form, text] of Object.entries(forms) as [ValidateRun['form'], string | undefined][]) {
    if (text === undefined) continue;
    const label = `${name}.${form}.json`;
    runs.push({ scenario: WITHOUT_VALUES, form, ...cfnValidate(text, label) });
    for (const scenario of matrix.scenarios) runs.push({ scenario: scenario.name, form, ...cfnValidate(text, label, scenario.values) });
  }
  const located = runs.flatMap((run) => run.findings.map((f) => ({ ...f, scenario: run.scenario, form: run.form })));
  const defaults = conditionValues(template, defaultValues(template));
  const resources = template.Resources as Record<string, { Condition?: string }>;
  const contradictsDefaults = (f: LocatedFinding) =>
    f.scenario === WITHOUT_VALUES &&
    (Object.entries(f.conditionScenario ?? {}).some(([name, value]) => defaults[name] !== undefined && defaults[name] !== value) ||
      defaults[resources[f.logicalId]?.Condition ?? ''] === false);
  const deadBranches = located.filter((f) => f.scenario !== WITHOUT_VALUES && f.ruleId in DEAD_BRANCH_RULES);
  const excludedByDefaults = located.filter(contradictsDefaults);
  const judged = located.filter((f) => !deadBranches.includes(f) && !excludedByDefaults.includes(f));
  const exempted = judged.filter((f) => exemptions.some((e) => covers(e, f)));
  const failures = judged.filter((f) => !exemptions.some((e) => covers(e, f)));
  const ids = new Set([...Object.keys(template.Resources), ...Object.keys(template.Parameters ?? {}), ...Object.keys(template.Outputs ?? {})]);
  const usedExemptions = exemptions.filter((e) => located.some((f) => covers(e, f)));
  const unusedExemptions = exemptions.filter((e) => e.resources.some((id) => ids.has(id)) && !usedExemptions.includes(e));
  return { matrix, runs, failures, exempted, deadBranches, excludedByDefaults, usedExemptions, unusedExemptions, milliseconds: Date.now() - started };
}
