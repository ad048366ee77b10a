import fs from 'node:fs';
import { conditionValues, failedAssertions, type TemplateLogic } from '../../scripts/lib/validation/conditionLogic';
import { parameterMatrix } from '../../scripts/lib/validation/parameterMatrix';
import { PARAMETER_SAMPLES } from '../../scripts/lib/validation/parameterSamples';
import { PUBLISHED_STACKS } from '../../templates/stacks';

type Template = TemplateLogic & { Parameters: Record<string, { AllowedPattern?: string; AllowedValues?: unknown[]; Default?: unknown }> };
const MANIFEST = { file: 'test/fixtures/manifests/prefect.yaml', text: fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8') };
const TEMPLATES = PUBLISHED_STACKS.flatMap((s) => [
  [s.name, s.build() as unknown as Template] as const,
  [`${s.name} with a stored manifest`, s.build({ manifest: MANIFEST }) as unknown as Template] as const,
]);
const valid = (template: Template, name: string, value: string) => {
  const p = template.Parameters[name]!;
  return (!p.AllowedValues || p.AllowedValues.map(String).includes(value)) && (!p.AllowedPattern || new RegExp(p.AllowedPattern).test(value));
};

describe.each(TEMPLATES)("the parameter matrix of the %s template", (_name, template) => {
  const matrix = parameterMatrix(template);

  it('takes every Condition both ways in combinations CloudFormation accepts', () => {
    expect(matrix.uncovered).toEqual([]);
    const accepted = matrix.scenarios.filter((s) => failedAssertions(template, s.values).length === 0);
    for (const condition of Object.keys(template.Conditions ?? {})) {
      expect([condition, new Set(accepted.map((s) => conditionValues(template, s.values)[condition]))]).toEqual([condition, new Set([true, false])]);
    }
  });

  it('gives every parameter a value its AllowedValues or AllowedPattern accepts, and every picked combination passes the Rules', () => {
    for (const scenario of matrix.scenarios.slice(1)) {
      expect(failedAssertions(template, scenario.values)).toEqual([]);
      for (const [parameter, value] of Object.entries(scenario.values)) expect([parameter, value, valid(template, parameter, value)]).toEqual([parameter, value, true]);
    }
  });

  it('has samples that the template\'s parameters accept', () => {
    for (const [parameter, samples] of Object.entries(PARAMETER_SAMPLES)) {
      if (!template.Parameters[parameter]) continue;
      for (const sample of samples!) expect([parameter, sample, valid(template, parameter, sample)]).toEqual([parameter, sample, true]);
    }
  });
});

describe('a Condition the matrix cannot take both ways', () => {
  it('is reported, naming the Condition value (a new Condition needs a sample value to be validated)', () => {
    const [, worker] = TEMPLATES[0]!;
    const withNewCondition = { ...worker, Conditions: { ...worker.Conditions, HasWorkQueues: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'WorkQueues' }, ''] }] } } };
    expect(parameterMatrix(withNewCondition).uncovered).toEqual(['HasWorkQueues=true']);
  });
});
