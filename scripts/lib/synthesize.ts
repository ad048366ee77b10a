/** Writes every published template to build/ as JSON and YAML, and validates them. */
import fs from 'node:fs';
import type { WorkerStackOptions } from '../../templates/parameters/options';
import { toJson, toYaml } from '../../templates/core/serialize';
import { PUBLISHED_STACKS, type PublishedStack } from '../../templates/stacks';
import { cfnGuard, type GuardReport } from './validation/cfnGuard';
import { cfnLint, type LintFinding } from './validation/cfnLint';
import { BUILD_DIR, expandedTemplatePath, templatePath } from './paths';
import { samExpand } from './validation/samExpand';
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
}

/** cfn-lint on both forms (one process for all files: it is the slow part), cfn-guard on the expansion. */
export function validateTemplates(stacks: readonly SynthesizedStack[]): StackValidation[] {
  const lint = cfnLint(stacks.flatMap((s) => [s.files.json, s.files.yaml]));
  return stacks.map((stack) => {
    const expanded = expandedTemplatePath(stack.name);
    samExpand(stack.files.json, expanded);
    return {
      name: stack.name,
      lint: lint.findings.filter((f) => f.file === stack.files.json || f.file === stack.files.yaml),
      guard: cfnGuard(expanded),
    };
  });
}

export const validationPassed = (v: StackValidation) => v.lint.every((f) => f.rule.startsWith('I')) && v.guard.ok;
