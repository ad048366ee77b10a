/**
 * cfn-guard 3 with the AWS Control Tower proactive rules, both shipped in the npm package
 * @cdklabs/cdk-validator-cfnguard. Runs on SAM-expanded (plain CloudFormation) JSON.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ToolFailedError } from '../errors';
import { CFN_GUARD_PACKAGE } from '../paths';
import { runTool } from '../run';
import { GUARD_EXEMPTIONS, type GuardExemption } from './guardExemptions';

/** The rule sets every template is checked against (folders of the Control Tower rules). */
export const GUARD_RULE_SETS = ['identityandaccessmanagement', 'ecs', 'sqs', 'cloudwatch', 'lambda', 'ecr', 'rds', 'elasticloadbalancing'] as const;

export const CFN_GUARD_BINARY = path.join(CFN_GUARD_PACKAGE, 'bin', 'ubuntu', 'x86_64', 'cfn-guard');
const RULES_DIR = path.join(CFN_GUARD_PACKAGE, 'rules', 'control-tower', 'cfn-guard');

export interface GuardFinding {
  readonly rule: string;
  readonly resource: string;
}

export interface GuardReport {
  readonly ruleFiles: number;
  readonly findings: GuardFinding[];
  readonly exempted: GuardFinding[];
  /** Findings no exemption covers: each fails validation. */
  readonly violations: GuardFinding[];
  /** Exemptions that covered a finding here. */
  readonly usedExemptions: GuardExemption[];
  /** Exemptions for resources of this template that matched nothing here. */
  readonly unusedExemptions: GuardExemption[];
  /** No violation (staleness is judged across all templates: see staleExemptions). */
  readonly ok: boolean;
}

export function ruleFiles(ruleSets: readonly string[]): string[] {
  return ruleSets.flatMap((set) => {
    const dir = path.join(RULES_DIR, set);
    if (!fs.existsSync(dir)) throw new ToolFailedError('cfn-guard', `cfn-guard rule set "${set}" not found under ${RULES_DIR}`);
    return fs
      .readdirSync(dir)
      .filter((file) => file.endsWith('.guard'))
      .sort()
      .map((file) => path.join(dir, file));
  });
}

export function cfnGuard(
  expandedTemplate: string,
  ruleSets: readonly string[] = GUARD_RULE_SETS,
  exemptions: readonly GuardExemption[] = GUARD_EXEMPTIONS,
): GuardReport {
  const files = ruleFiles(ruleSets);
  const args = ['validate', ...files.flatMap((file) => ['--rules', file]), '--data', expandedTemplate, '--output-format', 'json', '--show-summary', 'none', '--structured'];
  const result = runTool(CFN_GUARD_BINARY, args);
  // 0: all pass, 19: some rule failed; anything else is cfn-guard itself failing.
  if (result.status !== 0 && result.status !== 19) {
    throw new ToolFailedError('cfn-guard', `cfn-guard failed (exit ${result.status}): ${result.stderr.trim() || result.stdout.slice(0, 500)}`);
  }
  const findings = parseFindings(result.stdout);
  const covers = (e: GuardExemption, f: GuardFinding) => e.rule === f.rule && e.resources.includes(f.resource);
  const exempted = findings.filter((f) => exemptions.some((e) => covers(e, f)));
  const violations = findings.filter((f) => !exemptions.some((e) => covers(e, f)));
  const templateIds = new Set(Object.keys((JSON.parse(fs.readFileSync(expandedTemplate, 'utf8')) as { Resources: object }).Resources));
  const unusedExemptions = exemptions.filter(
    (e) => e.resources.some((id) => templateIds.has(id)) && !findings.some((f) => covers(e, f)),
  );
  const usedExemptions = exemptions.filter((e) => findings.some((f) => covers(e, f)));
  return { ruleFiles: files.length, findings, exempted, violations, usedExemptions, unusedExemptions, ok: violations.length === 0 };
}

/**
 * Exemptions that cover nothing in any template they apply to: stale, and they fail validation
 * (the list of reasons must not rot). An exemption may apply to one stack and not another. Used
 * for the exemptions of every validator (cfn-guard, CloudFormation Validate, cdk-nag).
 */
export function staleExemptions<E>(reports: readonly { readonly usedExemptions: readonly E[]; readonly unusedExemptions: readonly E[] }[]): E[] {
  const used = new Set(reports.flatMap((r) => r.usedExemptions));
  const applicable = new Set(reports.flatMap((r) => [...r.usedExemptions, ...r.unusedExemptions]));
  return [...applicable].filter((e) => !used.has(e));
}

interface GuardFileResult {
  not_compliant?: { Rule?: { name: string } }[];
}

/** Pairs of (rule, logical ID) from cfn-guard's structured output. */
export function parseFindings(stdout: string): GuardFinding[] {
  const results = JSON.parse(stdout || '[]') as GuardFileResult[];
  const seen = new Map<string, GuardFinding>();
  for (const file of results) {
    for (const entry of file.not_compliant ?? []) {
      const rule = entry.Rule?.name ?? 'unknown-rule';
      const resources = new Set<string>();
      collectResourcePaths(entry, resources);
      if (resources.size === 0) resources.add('(template)');
      for (const resource of resources) seen.set(`${rule}|${resource}`, { rule, resource });
    }
  }
  return [...seen.values()].sort((a, b) => `${a.rule}|${a.resource}`.localeCompare(`${b.rule}|${b.resource}`));
}

function collectResourcePaths(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectResourcePaths(item, into);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'path' && typeof value === 'string') {
        const match = /^\/Resources\/([^/]+)/.exec(value);
        if (match) into.add(match[1]!);
      } else {
        collectResourcePaths(value, into);
      }
    }
  }
}
