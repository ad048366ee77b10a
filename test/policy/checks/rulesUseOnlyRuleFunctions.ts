import type { CfnTemplate, Verdict } from '../types';

/**
 * What a Rules section may contain: Ref and the rule functions
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-rules.html).
 * CloudFormation refuses a template with any other function there (Fn::Join, Fn::Select, ...).
 */
export const RULE_FUNCTIONS = ['Ref', 'Fn::And', 'Fn::Contains', 'Fn::EachMemberEquals', 'Fn::EachMemberIn', 'Fn::Equals', 'Fn::Not', 'Fn::Or', 'Fn::RefAll', 'Fn::ValueOf', 'Fn::ValueOfAll'];

/** The function names used anywhere in a value. */
function functionsIn(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => functionsIn(item, into));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' || key.startsWith('Fn::') || key === 'Condition') into.add(key);
      functionsIn(inner, into);
    }
  }
  return into;
}

/** A rule's RuleCondition and assertions use only rule functions. */
export function rulesUseOnlyRuleFunctions(template: CfnTemplate, rule: string): Verdict {
  const body = template.Rules?.[rule];
  if (!body) return 'N/A';
  const used = functionsIn([body.RuleCondition ?? null, ...body.Assertions.map((a) => a.Assert)]);
  return [...used].every((fn) => RULE_FUNCTIONS.includes(fn)) ? 'COMPLIANT' : 'NON_COMPLIANT';
}
