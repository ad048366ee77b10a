/**
 * Evaluates a template's `Rules` offline for given parameter values, as CloudFormation would
 * before it creates anything. Only what CloudFormation allows in Rules is evaluated: the rule
 * functions Fn::And, Fn::Or, Fn::Not, Fn::Equals, Fn::Contains, Fn::EachMemberEquals,
 * Fn::EachMemberIn, Fn::RefAll, Fn::ValueOf, Fn::ValueOfAll, and Ref (rule-function reference,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-rules.html,
 * "Supported functions": Ref and the rule functions only). Anything else (Fn::Join, Fn::If,
 * Fn::Select ...) is an error, never a pass.
 *
 * Three-valued: a value nobody gave (a parameter left to the console, Fn::RefAll/ValueOf, which
 * read the AWS account) is unknown; And/Or/Not follow Kleene logic, so a rule fails here only
 * when it fails whatever the unknown values turn out to be.
 */
import { RuleEvaluationError } from '../errors';

export const UNKNOWN = Symbol('unknown');
type Unknown = typeof UNKNOWN;
type Value = string | readonly string[] | Unknown;
type Truth = boolean | Unknown;

export interface RuleAssertion {
  readonly Assert: unknown;
  readonly AssertDescription?: string;
}

export interface TemplateRule {
  readonly RuleCondition?: unknown;
  readonly Assertions: readonly RuleAssertion[];
}

export interface RuleInputs {
  /** Known parameter values, lists already split (a CommaDelimitedList "" is [""]). */
  readonly values: Readonly<Record<string, string | readonly string[]>>;
  /** Every parameter name of the template: a Ref to anything else is an error. */
  readonly parameterNames: ReadonlySet<string>;
  /** Pseudo parameters known offline (AWS::Region for a launch link); the rest are unknown. */
  readonly pseudo?: Readonly<Record<string, string>>;
}

export interface RuleOutcome {
  readonly rule: string;
  readonly status: 'not-applicable' | 'holds' | 'fails' | 'undecided';
  /** The AssertDescription of each assertion that fails. */
  readonly failures: readonly string[];
  /** Why an assertion or the condition could not be decided (values left open, account data). */
  readonly undecided: readonly string[];
}

export const RULE_FUNCTIONS = ['Fn::And', 'Fn::Or', 'Fn::Not', 'Fn::Equals', 'Fn::Contains', 'Fn::EachMemberEquals', 'Fn::EachMemberIn', 'Fn::RefAll', 'Fn::ValueOf', 'Fn::ValueOfAll', 'Ref'] as const;
/** Functions whose result depends on resources in the AWS account, which no offline check sees. */
const ACCOUNT_FUNCTIONS = new Set(['Fn::RefAll', 'Fn::ValueOf', 'Fn::ValueOfAll']);

class Evaluator {
  readonly reasons = new Set<string>();

  constructor(
    private readonly rule: string,
    private readonly inputs: RuleInputs,
  ) {}

  private fail(problem: string): never {
    throw new RuleEvaluationError(this.rule, problem);
  }

  private call(expression: unknown): [name: string, argument: unknown] | undefined {
    if (expression === null || typeof expression !== 'object' || Array.isArray(expression)) return undefined;
    const keys = Object.keys(expression);
    if (keys.length !== 1) this.fail(`expected one function per object, got ${JSON.stringify(keys)}`);
    const name = keys[0]!;
    if (!(RULE_FUNCTIONS as readonly string[]).includes(name)) {
      this.fail(`uses ${name}, which CloudFormation does not allow in Rules (allowed: ${RULE_FUNCTIONS.join(', ')})`);
    }
    return [name, (expression as Record<string, unknown>)[name]];
  }

  private args(name: string, argument: unknown, min: number, max = min): unknown[] {
    if (!Array.isArray(argument) || argument.length < min || argument.length > max) {
      this.fail(`${name} takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${JSON.stringify(argument)}`);
    }
    return argument;
  }

  condition(expression: unknown): Truth {
    const called = this.call(expression);
    if (!called) this.fail(`expected a condition function, got ${JSON.stringify(expression)}`);
    const [name, argument] = called;
    switch (name) {
      case 'Fn::And':
      case 'Fn::Or': {
        const results = this.args(name, argument, 2, 10).map((c) => this.condition(c));
        const decisive = name === 'Fn::And' ? false : true;
        if (results.includes(decisive)) return decisive;
        return results.includes(UNKNOWN) ? UNKNOWN : !decisive;
      }
      case 'Fn::Not': {
        const result = this.condition(this.args(name, argument, 1)[0]);
        return result === UNKNOWN ? UNKNOWN : !result;
      }
      case 'Fn::Equals': {
        const [a, b] = this.args(name, argument, 2).map((v) => this.value(v));
        if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Fn::Contains':
      case 'Fn::EachMemberEquals': {
        const [listArg, itemArg] = this.args(name, argument, 2);
        const list = this.list(name, listArg);
        const item = this.string(name, itemArg);
        if (list === UNKNOWN || item === UNKNOWN) return UNKNOWN;
        return name === 'Fn::Contains' ? list.includes(item) : list.every((member) => member === item);
      }
      case 'Fn::EachMemberIn': {
        const [checked, allowed] = this.args(name, argument, 2).map((v) => this.list(name, v));
        if (checked === UNKNOWN || allowed === UNKNOWN) return UNKNOWN;
        return checked.every((member) => allowed.includes(member));
      }
      default:
        return this.fail(`${name} gives a value, not a condition`);
    }
  }

  private value(expression: unknown): Value {
    if (typeof expression === 'string') return expression;
    if (typeof expression === 'number' || typeof expression === 'boolean') return String(expression);
    if (Array.isArray(expression)) {
      const items = expression.map((item) => this.value(item));
      if (items.includes(UNKNOWN)) return UNKNOWN;
      if (items.some((item) => typeof item !== 'string')) this.fail(`a list may hold only strings, got ${JSON.stringify(expression)}`);
      return items as string[];
    }
    const called = this.call(expression);
    if (!called) return this.fail(`cannot read ${JSON.stringify(expression)} as a value`);
    const [name, argument] = called;
    if (ACCOUNT_FUNCTIONS.has(name)) {
      this.reasons.add(`${name} reads your AWS account`);
      return UNKNOWN;
    }
    if (name !== 'Ref') return this.fail(`${name} gives a condition, not a value`);
    if (typeof argument !== 'string') return this.fail(`Ref takes a name, got ${JSON.stringify(argument)}`);
    if (argument.startsWith('AWS::')) {
      const known = this.inputs.pseudo?.[argument];
      if (known === undefined) this.reasons.add(`${argument} is known only at deploy time`);
      return known ?? UNKNOWN;
    }
    if (!this.inputs.parameterNames.has(argument)) return this.fail(`Ref ${argument} is not a parameter of the template (Rules see only parameters)`);
    const given = this.inputs.values[argument];
    if (given === undefined) this.reasons.add(`${argument} is not given`);
    return given ?? UNKNOWN;
  }

  private list(name: string, expression: unknown): readonly string[] | Unknown {
    const value = this.value(expression);
    if (typeof value === 'string') return this.fail(`${name} needs a list first, got ${JSON.stringify(value)}`);
    return value;
  }

  private string(name: string, expression: unknown): string | Unknown {
    const value = this.value(expression);
    if (Array.isArray(value)) return this.fail(`${name} compares with a string, got a list`);
    return value as string | Unknown;
  }
}

export function evaluateRule(rule: string, definition: TemplateRule, inputs: RuleInputs): RuleOutcome {
  const evaluator = new Evaluator(rule, inputs);
  if (!Array.isArray(definition?.Assertions) || definition.Assertions.length === 0) throw new RuleEvaluationError(rule, 'has no Assertions');
  const applies = definition.RuleCondition === undefined ? true : evaluator.condition(definition.RuleCondition);
  // Assertions are evaluated even when the condition is false, so a disallowed function is an error either way.
  const results = definition.Assertions.map((assertion) => ({ truth: evaluator.condition(assertion.Assert), description: assertion.AssertDescription ?? `an assertion of ${rule}` }));
  const undecided = [...evaluator.reasons];
  if (applies === false) return { rule, status: 'not-applicable', failures: [], undecided: [] };
  const failures = results.filter((r) => r.truth === false).map((r) => r.description);
  if (applies === true && failures.length > 0) return { rule, status: 'fails', failures, undecided };
  const open = applies === UNKNOWN || results.some((r) => r.truth === UNKNOWN);
  return { rule, status: open ? 'undecided' : 'holds', failures: [], undecided };
}

export function evaluateRules(rules: Readonly<Record<string, TemplateRule>> | undefined, inputs: RuleInputs): RuleOutcome[] {
  return Object.entries(rules ?? {}).map(([name, definition]) => evaluateRule(name, definition, inputs));
}
