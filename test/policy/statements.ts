/**
 * Finds every IAM policy statement in a template: inline role policies, IAM::Policy and
 * ManagedPolicy documents, and SAM function policies. Statements wrapped in `Fn::If` count in
 * both branches (a permission granted under any condition is granted).
 */
import type { CfnTemplate, LocatedStatement, PolicyStatement } from './types';

function branches(value: unknown): unknown[] {
  if (value && typeof value === 'object' && !Array.isArray(value) && 'Fn::If' in value) {
    const [, whenTrue, whenFalse] = (value as { 'Fn::If': unknown[] })['Fn::If'];
    return [...branches(whenTrue), ...branches(whenFalse)];
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && (value as { Ref?: string }).Ref === 'AWS::NoValue') return [];
  return [value];
}

function statementsOfDocument(resource: string, path: string, document: unknown): LocatedStatement[] {
  const found: LocatedStatement[] = [];
  for (const doc of branches(document)) {
    const list = (doc as { Statement?: unknown })?.Statement;
    const statements = Array.isArray(list) ? list : branches(list);
    statements.forEach((entry, index) => {
      for (const statement of branches(entry)) {
        found.push({ resource, path: `${path}.Statement[${index}]`, statement: statement as PolicyStatement });
      }
    });
  }
  return found;
}

export function iamStatements(template: CfnTemplate): LocatedStatement[] {
  const found: LocatedStatement[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Role') {
      for (const [index, policy] of ((props.Policies as unknown[]) ?? []).entries()) {
        for (const p of branches(policy)) {
          found.push(...statementsOfDocument(id, `Policies[${index}]`, (p as { PolicyDocument?: unknown }).PolicyDocument));
        }
      }
    }
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      found.push(...statementsOfDocument(id, 'PolicyDocument', props.PolicyDocument));
    }
    if (resource.Type === 'AWS::Serverless::Function') {
      for (const [index, policy] of ((props.Policies as unknown[]) ?? []).entries()) {
        if (policy && typeof policy === 'object' && 'Statement' in policy) found.push(...statementsOfDocument(id, `Policies[${index}]`, policy));
      }
    }
  }
  return found;
}

export const isAllow = (s: PolicyStatement) => s.Effect === 'Allow';
