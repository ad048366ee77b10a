import { RuleEvaluationError } from '../../scripts/lib/errors';
import { evaluateRule, type RuleInputs, type TemplateRule } from '../../scripts/lib/parameters/rules';

const inputs = (values: RuleInputs['values'], pseudo?: Record<string, string>): RuleInputs => ({
  values,
  parameterNames: new Set(['Mode', 'Secret', 'Repos', 'Subnets', 'Min', 'Max', 'VpcId']),
  pseudo,
});
const rule = (Assert: unknown, RuleCondition?: unknown): TemplateRule => ({ RuleCondition, Assertions: [{ Assert, AssertDescription: 'the assertion' }] });
const status = (definition: TemplateRule, values: RuleInputs['values'], pseudo?: Record<string, string>) => evaluateRule('R', definition, inputs(values, pseudo)).status;

const ref = (name: string) => ({ Ref: name });
const eq = (a: unknown, b: unknown) => ({ 'Fn::Equals': [a, b] });

describe('rule functions, evaluated as CloudFormation documents them', () => {
  it.each<[string, unknown, RuleInputs['values'], 'holds' | 'fails']>([
    ['Fn::Equals of a parameter and a literal', eq(ref('Mode'), 'none'), { Mode: 'none' }, 'holds'],
    ['Fn::Equals that differs', eq(ref('Mode'), 'none'), { Mode: 'api-key' }, 'fails'],
    ['Fn::Equals of a Number parameter and a number literal', eq(ref('Min'), 0), { Min: '0' }, 'holds'],
    ['Fn::Not', { 'Fn::Not': [eq(ref('Mode'), 'none')] }, { Mode: 'none' }, 'fails'],
    ['Fn::And', { 'Fn::And': [eq(ref('Mode'), 'a'), eq(ref('Secret'), '')] }, { Mode: 'a', Secret: '' }, 'holds'],
    ['Fn::Or', { 'Fn::Or': [eq(ref('Mode'), 'a'), eq(ref('Mode'), 'b')] }, { Mode: 'c' }, 'fails'],
    ['Fn::Contains', { 'Fn::Contains': [ref('Repos'), 'flows/etl'] }, { Repos: ['flows/etl', 'flows/x'] }, 'holds'],
    ['Fn::Contains of a literal list', { 'Fn::Contains': [['1', '2', '3'], ref('Max')] }, { Max: '4' }, 'fails'],
    ['Fn::EachMemberEquals', { 'Fn::EachMemberEquals': [ref('Repos'), 'a'] }, { Repos: ['a', 'a'] }, 'holds'],
    ['Fn::EachMemberIn', { 'Fn::EachMemberIn': [ref('Subnets'), ['s-1', 's-2']] }, { Subnets: ['s-1', 's-3'] }, 'fails'],
    ['an empty CommaDelimitedList ([""]) is "each member empty"', { 'Fn::EachMemberEquals': [ref('Repos'), ''] }, { Repos: [''] }, 'holds'],
    ['an empty CommaDelimitedList contains ""', { 'Fn::Contains': [ref('Repos'), ''] }, { Repos: [''] }, 'holds'],
    ['a pseudo parameter known offline', eq({ Ref: 'AWS::Region' }, 'eu-west-1'), {}, 'fails'],
  ])('%s', (_name, assertion, values, expected) => {
    expect(status(rule(assertion), values, { 'AWS::Region': 'us-east-1' })).toBe(expected);
  });

  it('checks "MinWorkers <= MaxWorkers" written as allowed pairs, as Rules must (no comparison function)', () => {
    const pairs = (min: string, maxes: string[]) => ({ 'Fn::And': [eq(ref('Min'), min), { 'Fn::Contains': [maxes, ref('Max')] }] });
    const lessOrEqual = rule({ 'Fn::Or': [pairs('0', ['1', '2', '3']), pairs('1', ['1', '2', '3']), pairs('2', ['2', '3']), pairs('3', ['3'])] });
    expect(status(lessOrEqual, { Min: '1', Max: '3' })).toBe('holds');
    expect(status(lessOrEqual, { Min: '3', Max: '2' })).toBe('fails');
  });
});

describe('values nobody gave (three-valued, Kleene logic)', () => {
  it('fails only when the rule fails whatever the unknown values are', () => {
    const either = rule({ 'Fn::Or': [{ 'Fn::Not': [eq(ref('Secret'), '')] }, eq(ref('Mode'), 'none')] });
    expect(status(either, { Mode: 'none' })).toBe('holds'); // true OR unknown
    expect(status(either, { Mode: 'api-key' })).toBe('undecided'); // false OR unknown
    const both = rule({ 'Fn::And': [eq(ref('Secret'), ''), eq(ref('Mode'), 'none')] });
    expect(status(both, { Mode: 'api-key' })).toBe('fails'); // unknown AND false
  });

  it('skips a rule whose condition is false, and leaves it undecided when the condition is unknown', () => {
    const conditional = rule(eq(ref('Secret'), ''), eq(ref('Mode'), 'none'));
    expect(status(conditional, { Mode: 'api-key', Secret: 'x' })).toBe('not-applicable');
    expect(status(conditional, { Secret: 'x' })).toBe('undecided');
    expect(status(conditional, { Mode: 'none', Secret: 'x' })).toBe('fails');
  });

  it('cannot decide Fn::RefAll, Fn::ValueOf and Fn::ValueOfAll offline, and says they read the account', () => {
    for (const call of [{ 'Fn::RefAll': 'AWS::EC2::VPC::Id' }, { 'Fn::ValueOfAll': ['AWS::EC2::Subnet::Id', 'VpcId'] }]) {
      const outcome = evaluateRule('R', rule({ 'Fn::Contains': [call, ref('VpcId')] }), inputs({ VpcId: 'vpc-1' }));
      expect(outcome.status).toBe('undecided');
      expect(outcome.undecided.join()).toMatch(/reads your AWS account/);
    }
    const valueOf = evaluateRule('R', rule({ 'Fn::EachMemberEquals': [{ 'Fn::ValueOf': ['Subnets', 'VpcId'] }, ref('VpcId')] }), inputs({ VpcId: 'vpc-1' }));
    expect(valueOf.status).toBe('undecided');
  });
});

describe('what CloudFormation does not allow in Rules is an error, never a pass', () => {
  it.each<[string, unknown, RegExp]>([
    ['Fn::Join', eq({ 'Fn::Join': ['', ref('Repos')] }, ''), /uses Fn::Join, which CloudFormation does not allow in Rules/],
    ['Fn::If', { 'Fn::If': ['C', eq('a', 'a'), eq('a', 'b')] }, /uses Fn::If/],
    ['Fn::Select', eq({ 'Fn::Select': [0, ref('Repos')] }, ''), /uses Fn::Select/],
    ['a Condition reference', { Condition: 'IsProd' }, /uses Condition/],
    ['Fn::And with one condition', { 'Fn::And': [eq('a', 'a')] }, /Fn::And takes 2 to 10 argument\(s\)/],
    ['Fn::Or with eleven conditions', { 'Fn::Or': Array.from({ length: 11 }, () => eq('a', 'a')) }, /Fn::Or takes 2 to 10/],
    ['a Ref to something that is not a parameter', eq(ref('WorkerService'), 'x'), /Ref WorkerService is not a parameter of the template/],
    ['a value where a condition belongs', ref('Mode'), /Ref gives a value, not a condition/],
    ['Fn::Contains without a list', { 'Fn::Contains': [ref('Mode'), 'a'] }, /Fn::Contains needs a list first/],
  ])('%s', (_name, assertion, message) => {
    const evaluate = () => evaluateRule('R', rule(assertion), inputs({ Mode: 'a', Repos: ['x'] }));
    expect(evaluate).toThrow(RuleEvaluationError);
    expect(evaluate).toThrow(message);
  });

  it('even in a rule whose condition is false', () => {
    expect(() => evaluateRule('R', rule(eq({ 'Fn::Join': ['', ref('Repos')] }, ''), eq('a', 'b')), inputs({}))).toThrow(/uses Fn::Join/);
  });
});
