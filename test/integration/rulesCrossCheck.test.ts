/**
 * The Rules of each template, evaluated twice: by this project's evaluator
 * (scripts/lib/validation/conditionLogic.ts, which the matrix and the Rule tests use) and by
 * cfn-lint's own model of Rules (cfnlint.conditions._rule, AWS's code, which cfn-lint uses to
 * decide which Condition combinations can happen). Neither AWS validator here reports a violated
 * assertion for given parameter values (cfn-lint --parameters and CloudFormation Validate's
 * parameterOverrides both stay silent: the tests prove it), so this is the independent check
 * there is. cfn-lint models Fn::Equals, And, Or, Not and Condition; a Rule with another rule
 * function (Fn::Contains) is reported as not cross-checked, by name, and stays covered by
 * test/templates/rules.test.ts alone.
 */
import { spawnSync } from 'node:child_process';
import { cfnValidate } from '../../scripts/lib/validation/cfnValidate';
import { failedAssertions, type ParameterValues, type TemplateLogic } from '../../scripts/lib/validation/conditionLogic';
import { defaultValues, domainOf, parameterMatrix } from '../../scripts/lib/validation/parameterMatrix';
import { PUBLISHED_STACKS } from '../../templates/stacks';
import { writeTemplateFiles } from '../support/template';

const CFN_LINT_RULES = `
import json, sys
from sympy.logic.boolalg import BooleanFalse, BooleanTrue
from cfnlint.conditions._equals import EqualParameter
from cfnlint.conditions._rule import Rule
from cfnlint.conditions._utils import get_hash

template = json.load(open(sys.argv[1]))
by_hash = {get_hash({"Ref": name}): name for name in template.get("Parameters", {})}
rules, unsupported = {}, {}
for name, body in template.get("Rules", {}).items():
    try:
        rules[name] = Rule(body, template.get("Conditions", {}))
    except ValueError as error:
        unsupported[name] = str(error)

def side(value, values):
    return values[by_hash[value.hash]] if isinstance(value, EqualParameter) else value

verdicts = []
for values in json.load(sys.stdin):
    holds = {}
    for name, rule in rules.items():
        truth = {e.hash: BooleanTrue() if side(e.left, values) == side(e.right, values) else BooleanFalse() for e in rule.equals}
        holds[name] = rule.build_cnf(truth) == BooleanTrue()
    verdicts.append(holds)
print(json.dumps({"unsupported": unsupported, "verdicts": verdicts}))
`;

interface CfnLintRules {
  readonly unsupported: Record<string, string>;
  readonly verdicts: Record<string, boolean>[];
}

function cfnLintRules(file: string, cases: readonly ParameterValues[]): CfnLintRules {
  const run = spawnSync('python3', ['-c', CFN_LINT_RULES, file], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 50_000_000 });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as CfnLintRules;
}

function referenced(expression: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(expression)) expression.forEach((e) => referenced(e, into));
  else if (expression && typeof expression === 'object') {
    for (const [key, inner] of Object.entries(expression)) (key === 'Ref' && typeof inner === 'string' ? into.add(inner) : referenced(inner, into));
  }
  return into;
}

function* product(domains: readonly (readonly string[])[]): Generator<string[]> {
  if (domains.length === 0) return yield [];
  for (const head of domains[0]!) for (const tail of product(domains.slice(1))) yield [head, ...tail];
}

/** For each Rule, every combination of the values the matrix tries for the parameters it reads (the rest at defaults); then the matrix runs. */
function cases(template: TemplateLogic): ParameterValues[] {
  const defaults = defaultValues(template);
  const perRule = Object.values(template.Rules ?? {}).flatMap((rule) => {
    const names = [...referenced(rule)].filter((n) => template.Parameters?.[n]);
    return [...product(names.map((n) => domainOf(template, n)))].map((values) => ({ ...defaults, ...Object.fromEntries(names.map((n, i) => [n, values[i]!])) }));
  });
  return [...perRule, ...parameterMatrix(template).scenarios.map((s) => s.values)];
}

describe.each(PUBLISHED_STACKS.map((s) => [s.name, s.build()] as const))('the Rules of the %s template', (name, built) => {
  const template = built as unknown as TemplateLogic;
  const file = writeTemplateFiles(`rules-${name}`, built).json;
  const all = cases(template);
  const lint = cfnLintRules(file, all);

  it('are judged alike by our evaluator and by cfn-lint\'s model of Rules, for every combination each Rule reads', () => {
    const differences: string[] = [];
    all.forEach((values, i) => {
      const ours = new Set(failedAssertions(template, values).map((f) => f.rule));
      for (const [rule, holds] of Object.entries(lint.verdicts[i]!)) {
        if (holds === ours.has(rule)) differences.push(`${rule} under ${JSON.stringify(values)}: cfn-lint says ${holds ? 'holds' : 'fails'}`);
      }
    });
    expect(differences).toEqual([]);
    // Each cross-checked Rule is seen both failing and holding, so the comparison is not vacuous.
    for (const rule of Object.keys(lint.verdicts[0]!)) expect([rule, new Set(lint.verdicts.map((v) => v[rule]))]).toEqual([rule, new Set([true, false])]);
  });

  it('names the Rules cfn-lint cannot model: only those using Fn::Contains', () => {
    expect(Object.keys(lint.unsupported)).toEqual(Object.entries(template.Rules ?? {}).filter(([, rule]) => JSON.stringify(rule).includes('"Fn::Contains"')).map(([rule]) => rule));
  });
});

describe('AWS validators and Rule assertions', () => {
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: { A: { Type: 'String', Default: 'x', AllowedValues: ['x', 'y'] }, B: { Type: 'String', Default: 'x', AllowedValues: ['x', 'y'] } },
    Rules: { Same: { Assertions: [{ Assert: { 'Fn::Equals': [{ Ref: 'A' }, { Ref: 'B' }] }, AssertDescription: 'A must equal B' }] } },
    Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: {} } },
  };

  it('CloudFormation Validate reports nothing for values that violate an assertion (so the cross-check above is needed)', () => {
    expect(cfnValidate(JSON.stringify(template), 'rules.json', { A: 'y', B: 'x' })).toEqual({ status: 'OK', findings: [] });
  });

  it('cfn-lint --parameters does not report them either', () => {
    const file = writeTemplateFiles('rules-silent', template).json;
    expect(failedAssertions(template, { A: 'y', B: 'x' })).toEqual([{ rule: 'Same', description: 'A must equal B' }]);
    const lint = spawnSync('cfn-lint', ['--format', 'parseable', '--parameters', 'A=y', 'B=x', '--', file], { encoding: 'utf8' });
    expect([lint.status, lint.stdout.trim()]).toEqual([0, '']);
    expect(cfnLintRules(file, [{ A: 'y', B: 'x' }, { A: 'y', B: 'y' }]).verdicts).toEqual([{ Same: false }, { Same: true }]);
  });
});
