/** Writes every published template to build/ as JSON and YAML, and validates them. */
import fs from 'node:fs';
import type { WorkerStackOptions } from '../../templates/parameters/options';
import { toJson, toYaml } from '../../templates/core/serialize';
import { PUBLISHED_STACKS, type PublishedStack } from '../../templates/stacks';
import { cfnGuard, type GuardReport } from './validation/cfnGuard';
import { cfnLintInBackground, type LintFinding } from './validation/cfnLint';
import { BUILD_DIR, expandedTemplatePath, templatePath } from './paths';
import { samExpand } from './validation/samExpand';
import { cdkNag, type NagReport } from './validation/cdkNag';
import { validateUnderMatrix, type MatrixValidation } from './validation/matrixValidation';
import { templateStats, type TemplateStats } from './templateStats';

/** Readers (cfn-lint, a parallel test) never see a half-written template. */
function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

export interface SynthesizedStack {
  readonly name: string;
  readonly files: { readonly json: string; readonly yaml: string };
  readonly json: TemplateStats;
  readonly yaml: TemplateStats;
}

export function writeTemplates(stacks: readonly PublishedStack[] = PUBLISHED_STACKS, options: WorkerStackOptions = {}): SynthesizedStack[] {
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  return stacks.map(({ name, build }) => {
    const template = build(options);
    const jsonText = toJson(template);
    const yamlText = toYaml(template);
    const files = { json: templatePath(name, 'json'), yaml: templatePath(name, 'yaml') };
    writeAtomically(files.json, jsonText);
    writeAtomically(files.yaml, yamlText);
    return { name, files, json: templateStats(template, jsonText), yaml: templateStats(template, yamlText) };
  });
}

export interface StackValidation {
  readonly name: string;
  readonly lint: LintFinding[];
  readonly guard: GuardReport;
  /** AWS CloudFormation Validate without values and under the parameter matrix. */
  readonly cfnValidate: MatrixValidation;
  readonly nag: NagReport;
  /** Wall time of each validator on this template, in milliseconds (cfn-lint's covers every file). */
  readonly milliseconds: Readonly<Record<'cfnLint' | 'cfnGuard' | 'cfnValidate' | 'cdkNag', number>>;
}

const timed = <T>(run: () => T): [T, number] => {
  const started = Date.now();
  return [run(), Date.now() - started];
};

/**
 * cfn-lint on both forms (one process for all files, in the background: it is the slowest), and
 * meanwhile per template: the SAM expansion, cfn-guard and cdk-nag on it, AWS CloudFormation
 * Validate on the template and the expansion. Each validator's wall time is kept for the summary.
 */
export async function validateTemplates(stacks: readonly SynthesizedStack[]): Promise<StackValidation[]> {
  const lintStarted = Date.now();
  const lintDone = cfnLintInBackground(stacks.flatMap((s) => [s.files.json, s.files.yaml])).then((report) => ({ report, ms: Date.now() - lintStarted }));
  const others = stacks.map((stack) => {
    const expanded = expandedTemplatePath(stack.name);
    samExpand(stack.files.json, expanded);
    const [guard, guardMs] = timed(() => cfnGuard(expanded));
    const [validation, validateMs] = timed(() =>
      validateUnderMatrix(stack.name, { template: fs.readFileSync(stack.files.json, 'utf8'), expanded: fs.readFileSync(expanded, 'utf8') }),
    );
    const [nag, nagMs] = timed(() => cdkNag(expanded));
    return { stack, guard, validation, nag, guardMs, validateMs, nagMs };
  });
  const lint = await lintDone;
  return others.map(({ stack, guard, validation, nag, guardMs, validateMs, nagMs }) => ({
    name: stack.name,
    lint: lint.report.findings.filter((f) => f.file === stack.files.json || f.file === stack.files.yaml),
    guard,
    cfnValidate: validation,
    nag,
    milliseconds: { cfnLint: lint.ms, cfnGuard: guardMs, cfnValidate: validateMs, cdkNag: nagMs },
  }));
}

export const validationPassed = (v: StackValidation) =>
  v.lint.every((f) => f.rule.startsWith('I')) && v.guard.ok && v.cfnValidate.failures.length === 0 && v.cfnValidate.matrix.uncovered.length === 0 && v.nag.ok;
