/**
 * Parameter values checked offline the way CloudFormation checks them before it creates
 * anything (parameters section reference,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html):
 * a Number is an integer or a float within MinValue/MaxValue; AllowedPattern must match the
 * entire value (each member of a CommaDelimitedList); AllowedValues, MinLength and MaxLength.
 * Then the template's Rules, evaluated for the given values (rules.ts).
 */
import { ParameterValueError } from '../errors';
import { evaluateRules, type RuleOutcome, type TemplateRule } from './rules';

export interface ParameterDefinition {
  readonly Type: string;
  readonly Default?: unknown;
  readonly NoEcho?: boolean | string;
  readonly AllowedValues?: readonly unknown[];
  readonly AllowedPattern?: string;
  readonly ConstraintDescription?: string;
  readonly MinLength?: number;
  readonly MaxLength?: number;
  readonly MinValue?: number;
  readonly MaxValue?: number;
}

export interface CheckedTemplate {
  readonly Parameters?: Readonly<Record<string, ParameterDefinition>>;
  readonly Rules?: Readonly<Record<string, TemplateRule>>;
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const isList = (type: string) => type === 'CommaDelimitedList' || type.startsWith('List<');

/** A list parameter's members: split at commas and trimmed; "" is [""] (one empty member). */
export const listMembers = (value: string) => value.split(',').map((member) => member.trim());

/** `--param NAME=VALUE` arguments into a record; a malformed or repeated one names itself. */
export function parseParamArgs(args: readonly string[]): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new ParameterValueError(`--param takes NAME=VALUE (got ${JSON.stringify(arg)})`);
    const name = arg.slice(0, eq);
    if (name in parameters) throw new ParameterValueError(`--param ${name} is given twice; give it once`);
    parameters[name] = arg.slice(eq + 1);
  }
  return parameters;
}

/** Why `value` is not acceptable for the parameter, or undefined when it is. */
export function valueProblem(definition: ParameterDefinition, value: string): string | undefined {
  const members = isList(definition.Type) ? listMembers(value) : [value];
  const numeric = definition.Type === 'Number' || definition.Type === 'List<Number>';
  for (const member of members) {
    if (numeric && !NUMBER.test(member)) return `must be a number${members.length > 1 ? ' in each entry' : ''}`;
    if (numeric && definition.MinValue !== undefined && Number(member) < Number(definition.MinValue)) return `must be at least ${definition.MinValue}`;
    if (numeric && definition.MaxValue !== undefined && Number(member) > Number(definition.MaxValue)) return `must be at most ${definition.MaxValue}`;
    if (definition.AllowedValues && !definition.AllowedValues.map(String).includes(member)) return `must be one of ${definition.AllowedValues.join('|')}`;
    if (definition.AllowedPattern && !new RegExp(`^(?:${definition.AllowedPattern})$`).test(member)) {
      return `${definition.ConstraintDescription ?? 'does not match the pattern'} (pattern ${definition.AllowedPattern})`;
    }
  }
  if (definition.MinLength !== undefined && value.length < Number(definition.MinLength)) return `must be at least ${definition.MinLength} characters`;
  if (definition.MaxLength !== undefined && value.length > Number(definition.MaxLength)) return `must be at most ${definition.MaxLength} characters`;
  return undefined;
}

export interface ValueCheckOptions {
  /** Refuse NoEcho parameters (a quick-create link would put the secret in a URL). @default false */
  readonly refuseNoEcho?: boolean;
  /** Pseudo parameters known offline, e.g. AWS::Region of a launch link. */
  readonly pseudo?: Readonly<Record<string, string>>;
  /**
   * Values the parameters not given take (their defaults, for a priced configuration): the Rules
   * are then decided for them too, and a rule fails only when it names a given parameter (a rule
   * that only the defaults break, such as a required URL, is the deployer's to satisfy).
   * @default undefined: parameters not given are unknown
   */
  readonly defaults?: Readonly<Record<string, string>>;
}

/**
 * Checks every given value, then evaluates the Rules for them; throws ParameterValueError naming
 * the first problem. Parameters not given are unknown (the person deploying chooses them), so a
 * rule fails here only when the given values break it whatever the others are. Returns the
 * Rules' outcomes so a caller can say which it could not decide.
 */
export function checkParameterValues(template: CheckedTemplate, values: Readonly<Record<string, string>>, options: ValueCheckOptions = {}): RuleOutcome[] {
  const parameters = template.Parameters ?? {};
  for (const [name, value] of Object.entries(values)) {
    const definition = parameters[name];
    if (!definition) throw new ParameterValueError(`--param ${name} is not a parameter of the template (known: ${Object.keys(parameters).join(', ')})`);
    const noEcho = definition.NoEcho === true || definition.NoEcho === 'true';
    if (options.refuseNoEcho && noEcho) {
      throw new ParameterValueError(`--param ${name} is NoEcho: a launch link cannot carry a secret; leave it to the person launching`);
    }
    const problem = valueProblem(definition, value);
    if (problem) throw new ParameterValueError(`--param ${name} ${problem} (got ${noEcho ? 'a NoEcho value' : JSON.stringify(value)})`);
  }
  const assumed = { ...options.defaults, ...values };
  const known: Record<string, string | readonly string[]> = {};
  for (const [name, definition] of Object.entries(parameters)) {
    const value = assumed[name];
    if (value !== undefined) known[name] = isList(definition.Type) ? listMembers(value) : value;
  }
  const outcomes = evaluateRules(template.Rules, { values: known, parameterNames: new Set(Object.keys(parameters)), pseudo: options.pseudo });
  const givenIn = (rule: string) => Object.keys(values).filter((name) => JSON.stringify(template.Rules?.[rule]).includes(`"${name}"`));
  const failed = outcomes.find((outcome) => outcome.status === 'fails' && (!options.defaults || givenIn(outcome.rule).length > 0));
  if (failed) {
    const shown = (name: string) => (parameters[name]!.NoEcho ? `${name} (NoEcho)` : `${name}=${values[name]}`);
    const given = givenIn(failed.rule);
    const withDefaults = options.defaults ? ' with the defaults of the parameters not given' : '';
    throw new ParameterValueError(`rule ${failed.rule} fails${given.length ? ` for ${given.map(shown).join(', ')}` : ''}${withDefaults}: ${failed.failures.join(' ')}`);
  }
  return outcomes;
}
