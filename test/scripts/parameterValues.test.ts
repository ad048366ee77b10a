import { ParameterValueError } from '../../scripts/lib/errors';
import { checkParameterValues, listMembers, parseParamArgs, valueProblem, type CheckedTemplate, type ParameterDefinition } from '../../scripts/lib/parameters/values';

describe('a parameter value, checked as CloudFormation checks it', () => {
  const number: ParameterDefinition = { Type: 'Number', MinValue: 1, MaxValue: 100 };
  it.each<[string, ParameterDefinition, string, string | undefined]>([
    ['a whole number in range', number, '5', undefined],
    ['a float (Number allows one)', { Type: 'Number' }, '2.5', undefined],
    ['a word for a Number', number, 'lots', 'must be a number'],
    ['an empty Number', number, '', 'must be a number'],
    ['a Number under MinValue', number, '-5', 'must be at least 1'],
    ['a Number over MaxValue', number, '101', 'must be at most 100'],
    ['a List<Number> with a word in it', { Type: 'List<Number>' }, '1,x', 'must be a number in each entry'],
    ['a value outside AllowedValues', { Type: 'String', AllowedValues: ['true', 'false'] }, 'yes', 'must be one of true|false'],
    ['a Number outside numeric AllowedValues', { Type: 'Number', AllowedValues: [1, 3, 5] }, '2', 'must be one of 1|3|5'],
    ['a pattern that matches only part of the value', { Type: 'String', AllowedPattern: '[a-z]+' }, 'abc1', 'does not match the pattern (pattern [a-z]+)'],
    ['a pattern with its constraint description', { Type: 'String', AllowedPattern: '[a-z]+', ConstraintDescription: 'must be lowercase' }, 'A', 'must be lowercase (pattern [a-z]+)'],
    ['each member of a CommaDelimitedList against the pattern', { Type: 'CommaDelimitedList', AllowedPattern: '^(arn:.+)?$' }, 'arn:a, nope', 'does not match the pattern (pattern ^(arn:.+)?$)'],
    ['an empty CommaDelimitedList, one empty member the pattern allows', { Type: 'CommaDelimitedList', AllowedPattern: '^(arn:.+)?$' }, '', undefined],
    ['a value over MaxLength', { Type: 'String', MaxLength: 3 }, 'abcd', 'must be at most 3 characters'],
  ])('%s', (_name, definition, value, problem) => {
    expect(valueProblem(definition, value)).toBe(problem);
  });

  it('splits lists at commas and trims each member; "" is one empty member', () => {
    expect(listMembers(' a, b ,c')).toEqual(['a', 'b', 'c']);
    expect(listMembers('')).toEqual(['']);
  });

  it('reads NAME=VALUE arguments and names a malformed or repeated one', () => {
    expect(parseParamArgs(['A=1', 'B=x=y'])).toEqual({ A: '1', B: 'x=y' });
    expect(() => parseParamArgs(['novalue'])).toThrow('--param takes NAME=VALUE (got "novalue")');
    expect(() => parseParamArgs(['A=1', 'A=2'])).toThrow('--param A is given twice; give it once');
  });
});

describe('values and Rules together', () => {
  const template: CheckedTemplate = {
    Parameters: {
      Mode: { Type: 'String', AllowedValues: ['api-key', 'none'], Default: 'api-key' },
      Secret: { Type: 'String', Default: '', NoEcho: true },
      Min: { Type: 'Number', Default: 0, MinValue: 0, MaxValue: 3 },
      Max: { Type: 'Number', Default: 3, MinValue: 1, MaxValue: 3 },
    },
    Rules: {
      NoSecretWithoutAuth: {
        RuleCondition: { 'Fn::Equals': [{ Ref: 'Mode' }, 'none'] },
        Assertions: [{ Assert: { 'Fn::Equals': [{ Ref: 'Secret' }, ''] }, AssertDescription: 'Mode none takes no Secret.' }],
      },
      MinNotAboveMax: {
        Assertions: [
          {
            Assert: { 'Fn::Not': [{ 'Fn::Or': [{ 'Fn::And': [{ 'Fn::Equals': [{ Ref: 'Min' }, '3'] }, { 'Fn::Contains': [['1', '2'], { Ref: 'Max' }] }] }, { 'Fn::And': [{ 'Fn::Equals': [{ Ref: 'Min' }, '2'] }, { 'Fn::Equals': [{ Ref: 'Max' }, '1'] }] }] }] },
            AssertDescription: 'Min must not exceed Max.',
          },
        ],
      },
    },
  };
  const check = (values: Record<string, string>, options = {}) => () => checkParameterValues(template, values, options);

  it('refuses an unknown parameter, naming the known ones', () => {
    expect(check({ Nope: '1' })).toThrow('--param Nope is not a parameter of the template (known: Mode, Secret, Min, Max)');
  });

  it('refuses a NoEcho parameter when a link would carry it, and never prints its value', () => {
    expect(check({ Secret: 'pnu_x' }, { refuseNoEcho: true })).toThrow(/--param Secret is NoEcho/);
    const message = (() => {
      try {
        check({ Mode: 'none', Secret: 'pnu_x' })();
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toBe('rule NoSecretWithoutAuth fails for Mode=none, Secret (NoEcho): Mode none takes no Secret.');
    expect(message).not.toContain('pnu_x');
  });

  it('refuses a combination the Rules reject, naming the rule, the values and its description', () => {
    expect(check({ Min: '3', Max: '2' })).toThrow(ParameterValueError);
    expect(check({ Min: '3', Max: '2' })).toThrow('rule MinNotAboveMax fails for Min=3, Max=2: Min must not exceed Max.');
  });

  it('leaves parameters nobody gave to the person deploying: a rule fails only when the given values break it', () => {
    expect(check({ Min: '3' })).not.toThrow(); // Max could still be 3
    expect(check({ Max: '1', Min: '2' })).toThrow(/MinNotAboveMax/);
    expect(check({ Mode: 'none' })).not.toThrow(); // Secret is left to the form
  });
});
