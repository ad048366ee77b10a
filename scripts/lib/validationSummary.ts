/** The synth summary's lines for each validator of one template: counts, failures, time. */
import { formatValidateFinding, engineVersion } from './validation/cfnValidate';
import { formatFinding } from './validation/cfnLint';
import { severityCounts } from './validation/matrixValidation';
import type { StackValidation } from './synthesize';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const counts = (c: ReturnType<typeof severityCounts>) => `${c.FATAL} fatal, ${c.ERROR} error, ${c.WARN} warning`;

export function validatorLines(v: StackValidation): string[] {
  const lines: string[] = [];
  lines.push(`    cfn-lint: ${v.lint.length === 0 ? 'no findings' : `${v.lint.length} finding(s)`} (${seconds(v.milliseconds.cfnLint)} for every template file)`);
  for (const finding of v.lint) lines.push(`      ${formatFinding(finding)}`);
  lines.push(
    `    cfn-guard: ${v.guard.ruleFiles} Control Tower rule files, ${v.guard.violations.length} violation(s), ` +
      `${v.guard.exempted.length} exempted finding(s) (reasons in scripts/lib/validation/guardExemptions.ts), ${seconds(v.milliseconds.cfnGuard)}`,
  );
  for (const f of v.guard.violations) lines.push(`      FAIL ${f.rule} on ${f.resource}`);
  const c = v.cfnValidate;
  const bare = (form: string) => c.runs.find((r) => r.scenario === 'no values' && r.form === form);
  lines.push(
    `    CloudFormation Validate ${engineVersion()}: ${c.runs.length} runs (no values + ${c.matrix.scenarios.length} parameter combinations, SAM and expanded), ${seconds(v.milliseconds.cfnValidate)}`,
    `      as reported: ${counts(severityCounts(c.runs.flatMap((r) => r.findings)))}; without values: ${counts(severityCounts(bare('template')?.findings ?? []))} (SAM)`,
    `      judged: ${c.failures.length} failing, ${c.exempted.length} listed warning(s) (scripts/lib/validation/validateExemptions.ts), ` +
      `${c.deadBranches.length} dead-branch notice(s) under values, ${c.excludedByDefaults.length} set aside (a default paired with Condition values it excludes)`,
  );
  // One line per set-aside finding (the SAM and expanded runs often report the same one).
  const setAside = new Map(c.excludedByDefaults.map((e) => [`${e.finding.severity} ${e.finding.ruleId} ${e.finding.logicalId} ${e.finding.path}`, e]));
  for (const [what, e] of setAside) lines.push(`      set aside: ${what}: the default of ${e.parameter} under ${e.conditions}, which the matrix run "${c.matrix.scenarios[e.coveredBy]!.name}" validates with a value`);
  for (const f of c.failures) lines.push(`      FAIL [${f.form}, ${f.scenario}] ${formatValidateFinding(f)}`);
  for (const gap of c.matrix.uncovered) lines.push(`      FAIL no accepted parameter combination has ${gap}: add a sample in scripts/lib/validation/parameterSamples.ts`);
  const errors = v.nag.findings.filter((f) => f.severity === 'error').length;
  lines.push(
    `    cdk-nag (AwsSolutions, Serverless) with the defaults and ${v.nag.scenarios.length - 1} matrix combination(s), every Condition both ways: ` +
      `${v.nag.findings.length} finding(s) (${errors} error, ${v.nag.findings.length - errors} warning), ` +
      `${v.nag.exempted.length} exempted (scripts/lib/validation/nagExemptions.ts), ${v.nag.violations.length} violation(s), ${seconds(v.milliseconds.cdkNag)}`,
  );
  for (const scenario of v.nag.scenarios.slice(1)) lines.push(`      with ${scenario}`);
  for (const f of v.nag.violations) lines.push(`      FAIL ${f.rule} on ${f.resource}`);
  return lines;
}
