/**
 * Evaluates a template's Conditions and Rules for given parameter values, as CloudFormation does
 * before it creates anything. The parameter matrix uses it to find value combinations that
 * CloudFormation accepts and that take each Condition both ways; the tests use it to show that a
 * Rule rejects a combination.
 *
 * Semantics, from the AWS docs:
 * - Rule functions (And, Contains, EachMemberEquals, EachMemberIn, Equals, Not, Or, Ref):
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-rules.html
 * - Condition functions (And, Equals, Not, Or, Condition) and Join/Select/Split inside them:
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html
 * - A CommaDelimitedList is split at commas and each member is space-trimmed, so "" is [""]:
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
 */
import { ValidationSetupError } from '../errors';

export type ParameterValues = Readonly<Record<string, string>>;

export interface TemplateLogic {
  readonly Parameters?: Readonly<Record<string, { readonly Type: string; readonly Default?: unknown; readonly AllowedValues?: readonly unknown[]; readonly AllowedPattern?: string }>>;
  readonly Conditions?: Readonly<Record<string, unknown>>;
  readonly Rules?: Readonly<Record<string, { readonly RuleCondition?: unknown; readonly Assertions: readonly { readonly Assert: unknown; readonly AssertDescription: string }[] }>>;
}

type Value = string | string[] | boolean;

/** Values the pseudo parameters take in every evaluation (no real account is involved). */
const PSEUDO: Readonly<Record<string, string>> = {
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::Partition': 'aws',
  'AWS::StackName': 'sample-stack',
  'AWS::URLSuffix': 'amazonaws.com',
};

const isList = (type: string) => type === 'CommaDelimitedList' || type.startsWith('List<');

/** What `Ref` of a parameter gives: a string, or a list for list types. */
function parameterValue(template: TemplateLogic, values: ParameterValues, name: string): Value {
  if (name in PSEUDO) return PSEUDO[name]!;
  const parameter = template.Parameters?.[name];
  if (!parameter) throw new ValidationSetupError(`Ref ${name}: not a parameter of the template`);
  const raw = values[name] ?? (parameter.Default === undefined ? undefined : String(parameter.Default));
  if (raw === undefined) throw new ValidationSetupError(`parameter ${name} has no value and no Default`);
  return isList(parameter.Type) ? raw.split(',').map((member) => member.trim()) : raw;
}

const asList = (value: Value, where: string): string[] => {
  if (!Array.isArray(value)) throw new ValidationSetupError(`${where} needs a list, got ${JSON.stringify(value)}`);
  return value;
};
const asBoolean = (value: Value, where: string): boolean => {
  if (typeof value !== 'boolean') throw new ValidationSetupError(`${where} needs a condition, got ${JSON.stringify(value)}`);
  return value;
};
const same = (a: Value, b: Value) => (typeof a === 'string' && typeof b === 'string' ? a === b : JSON.stringify(a) === JSON.stringify(b));

/** Evaluates one expression of the Conditions or Rules section. */
export function evaluate(template: TemplateLogic, values: ParameterValues, expression: unknown, seen: readonly string[] = [], memo = new Map<string, boolean>()): Value {
  if (typeof expression === 'string') return expression;
  if (typeof expression === 'number' || typeof expression === 'boolean') return String(expression);
  if (Array.isArray(expression)) return expression.map((item) => String(evaluate(template, values, item, seen, memo)));
  const keys = Object.keys((expression ?? {}) as object);
  if (keys.length !== 1) throw new ValidationSetupError(`not an intrinsic function: ${JSON.stringify(expression)}`);
  const fn = keys[0]!;
  const raw = (expression as Record<string, unknown>)[fn];
  const args = raw as unknown[];
  const at = (i: number) => evaluate(template, values, args[i], seen, memo);
  switch (fn) {
    case 'Ref':
      return parameterValue(template, values, raw as string);
    case 'Condition': {
      const name = raw as string;
      const known = memo.get(name);
      if (known !== undefined) return known;
      if (seen.includes(name)) throw new ValidationSetupError(`Condition ${name} refers to itself`);
      const condition = template.Conditions?.[name];
      if (condition === undefined) throw new ValidationSetupError(`Condition ${name} does not exist`);
      const result = asBoolean(evaluate(template, values, condition, [...seen, name], memo), name);
      memo.set(name, result);
      return result;
    }
    case 'Fn::Equals':
      return same(at(0), at(1));
    case 'Fn::Not':
      return !asBoolean(at(0), fn);
    case 'Fn::And':
      return args.every((_, i) => asBoolean(at(i), fn));
    case 'Fn::Or':
      return args.some((_, i) => asBoolean(at(i), fn));
    case 'Fn::Contains':
      return asList(at(0), fn).includes(String(at(1)));
    case 'Fn::EachMemberEquals':
      return asList(at(0), fn).every((member) => member === String(at(1)));
    case 'Fn::EachMemberIn': {
      const allowed = asList(at(1), fn);
      return asList(at(0), fn).every((member) => allowed.includes(member));
    }
    case 'Fn::Join':
      return asList(evaluate(template, values, args[1], seen, memo), fn).join(args[0] as string);
    case 'Fn::Split':
      return String(at(1)).split(args[0] as string);
    case 'Fn::Select': {
      const list = asList(at(1), fn);
      const index = Number(at(0));
      if (!(index >= 0 && index < list.length)) throw new ValidationSetupError(`Fn::Select index ${index} is outside ${JSON.stringify(list)}`);
      return list[index]!;
    }
    default:
      throw new ValidationSetupError(`${fn} cannot be evaluated before the stack exists (it is not a condition or rule function)`);
  }
}

/** The truth value of every Condition of the template under these values. */
export function conditionValues(template: TemplateLogic, values: ParameterValues): Record<string, boolean> {
  const memo = new Map<string, boolean>();
  return Object.fromEntries(Object.keys(template.Conditions ?? {}).map((name) => [name, asBoolean(evaluate(template, values, { Condition: name }, [], memo), name)]));
}

export interface FailedAssertion {
  readonly rule: string;
  readonly description: string;
}

/** The Rules assertions these values violate: CloudFormation rejects the stack with their descriptions. */
export function failedAssertions(template: TemplateLogic, values: ParameterValues): FailedAssertion[] {
  const failed: FailedAssertion[] = [];
  for (const [rule, body] of Object.entries(template.Rules ?? {})) {
    const applies = body.RuleCondition === undefined || asBoolean(evaluate(template, values, body.RuleCondition), `${rule}.RuleCondition`);
    if (!applies) continue;
    for (const assertion of body.Assertions) {
      if (!asBoolean(evaluate(template, values, assertion.Assert), `${rule}.Assert`)) failed.push({ rule, description: assertion.AssertDescription });
    }
  }
  return failed;
}
