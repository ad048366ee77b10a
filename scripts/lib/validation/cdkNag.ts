/**
 * cdk-nag 3 (AwsSolutionsChecks and ServerlessChecks) on a SAM-expanded template, without a CDK
 * app to synthesize: the template is loaded with CfnInclude into a throw-away stack, with every
 * parameter replaced by a value so value-dependent rules can decide, and each pack's
 * validateScope() walks the resources. cdk-nag ignores Conditions: every conditional resource is
 * checked. It runs with the defaults and the matrix combinations that between them take every
 * Condition both ways (conditionCover), because value-dependent rules (RDS3 on Multi-AZ, EC23 on
 * a CIDR) see only the values they are given. Findings of every run are judged against
 * nagExemptions.ts.
 */
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import fs from 'node:fs';
import type { TemplateLogic } from './conditionLogic';
import { NAG_EXEMPTIONS, type NagExemption } from './nagExemptions';
import { conditionCover } from './parameterMatrix';

export interface NagFinding {
  /** e.g. "AwsSolutions-IAM5[Resource::*]". */
  readonly rule: string;
  readonly resource: string;
  readonly severity: 'error' | 'warning';
}

export interface NagReport {
  /** The parameter combinations checked (conditionCover): "defaults" first. */
  readonly scenarios: string[];
  readonly findings: NagFinding[];
  readonly exempted: NagFinding[];
  /** Findings no exemption covers: each fails validation. */
  readonly violations: NagFinding[];
  readonly usedExemptions: NagExemption[];
  /** Exemptions naming a resource of this template that covered nothing here. */
  readonly unusedExemptions: NagExemption[];
  readonly ok: boolean;
}

/** CfnInclude substitutes values as they are: list parameters need arrays, Number ones numbers. */
function includeParameters(template: TemplateLogic, values: Readonly<Record<string, string>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => {
      const type = template.Parameters![name]!.Type;
      if (type === 'CommaDelimitedList' || type.startsWith('List<')) return [name, value.split(',')];
      return [name, type === 'Number' ? Number(value) : value];
    }),
  );
}

/** An exemption for "AwsSolutions-IAM5" covers its granular findings ("AwsSolutions-IAM5[Resource::*]") too. */
const covers = (e: NagExemption, f: NagFinding) => (f.rule === e.rule || f.rule.startsWith(`${e.rule}[`)) && e.resources.includes(f.resource);

export function cdkNag(expandedTemplate: string, exemptions: readonly NagExemption[] = NAG_EXEMPTIONS): NagReport {
  const template = JSON.parse(fs.readFileSync(expandedTemplate, 'utf8')) as TemplateLogic & { Resources: object };
  const scenarios = conditionCover(template);
  const seen = new Map<string, NagFinding>();
  for (const scenario of scenarios) {
    // The app is never synthesized; it only roots the construct tree.
    const app = new App({ builtinCloudFormationValidation: false } as object);
    const stack = new Stack(app, 'NagStack');
    new CfnInclude(stack, 'Template', { templateFile: expandedTemplate, parameters: includeParameters(template, scenario.values) });
    for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
      for (const violation of pack.validateScope(stack).violations) {
        for (const { constructPath } of violation.violatingResources) {
          // CfnInclude keeps logical IDs as construct IDs: NagStack/Template/<LogicalId>
          const resource = constructPath?.split('/')[2] ?? String(constructPath);
          const finding: NagFinding = { rule: violation.ruleName, resource, severity: violation.severity === 'error' ? 'error' : 'warning' };
          seen.set(`${finding.rule}|${resource}`, finding);
        }
      }
    }
  }
  const findings = [...seen.values()].sort((a, b) => `${a.rule}|${a.resource}`.localeCompare(`${b.rule}|${b.resource}`));
  const exempted = findings.filter((f) => exemptions.some((e) => covers(e, f)));
  const violations = findings.filter((f) => !exemptions.some((e) => covers(e, f)));
  const ids = new Set(Object.keys(template.Resources));
  const usedExemptions = exemptions.filter((e) => findings.some((f) => covers(e, f)));
  const unusedExemptions = exemptions.filter((e) => e.resources.some((id) => ids.has(id)) && !usedExemptions.includes(e));
  return { scenarios: scenarios.map((s) => s.name), findings, exempted, violations, usedExemptions, unusedExemptions, ok: violations.length === 0 };
}
