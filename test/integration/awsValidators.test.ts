/**
 * AWS CloudFormation Validate (without values and under the parameter matrix, on the SAM
 * template and its expansion) and cdk-nag (AwsSolutions, ServerlessChecks on the expansion) over
 * every published template, and proof that they catch what they should.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cdkNag, type NagReport } from '../../scripts/lib/validation/cdkNag';
import { staleExemptions } from '../../scripts/lib/validation/cfnGuard';
import { formatValidateFinding } from '../../scripts/lib/validation/cfnValidate';
import { validateUnderMatrix, type MatrixValidation } from '../../scripts/lib/validation/matrixValidation';
import { samExpand } from '../../scripts/lib/validation/samExpand';
import { PUBLISHED_STACKS } from '../../templates/stacks';
import { writeTemplateFiles } from '../support/template';

const MANIFEST = { file: 'test/fixtures/manifests/prefect.yaml', text: fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8') };
const VARIANTS = PUBLISHED_STACKS.flatMap((s) => [
  [s.name, () => s.build()] as const,
  [`${s.name} with a stored manifest`, () => s.build({ manifest: MANIFEST })] as const,
]);

const validations: MatrixValidation[] = [];
const nagReports: NagReport[] = [];

describe.each(VARIANTS)('%s template', (name, build) => {
  const files = writeTemplateFiles(name.replace(/\W+/g, '-'), build());
  const expanded = path.join(files.dir, 'expanded.json');
  samExpand(files.json, expanded);

  it('passes AWS CloudFormation Validate without values and under every parameter combination: no fatal or error, every warning listed', () => {
    const result = validateUnderMatrix(name, { template: fs.readFileSync(files.json, 'utf8'), expanded: fs.readFileSync(expanded, 'utf8') });
    expect(result.matrix.uncovered).toEqual([]);
    expect(result.failures.map((f) => `[${f.form}, ${f.scenario}] ${formatValidateFinding(f)}`)).toEqual([]);
    expect(result.matrix.scenarios.length).toBeGreaterThanOrEqual(8);
    expect(result.runs.every((run) => run.scenario === 'no values' || run.status === 'OK')).toBe(true);
    validations.push(result);
  });

  it('passes cdk-nag (AwsSolutions, Serverless) on the SAM expansion, every finding exempted with a reason', () => {
    const report = cdkNag(expanded);
    expect(report.findings.length).toBeGreaterThan(10);
    expect(report.violations).toEqual([]);
    nagReports.push(report);
  });
});

describe('exemptions of CloudFormation Validate and cdk-nag', () => {
  it('each covers a finding in some template (none is stale)', () => {
    expect(validations).toHaveLength(VARIANTS.length);
    expect(nagReports).toHaveLength(VARIANTS.length);
    expect(staleExemptions(validations)).toEqual([]);
    expect(staleExemptions(nagReports)).toEqual([]);
  });
});

describe('the new validators catch real problems (they are not silently passing)', () => {
  const base = {
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: { Repositories: { Type: 'CommaDelimitedList', Default: '' }, Name: { Type: 'String', Default: '' } },
    Conditions: { HasName: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Name' }, ''] }] } },
    // Fn::Join is not a rule function (defect 2 of issue 9).
    Rules: { Listed: { RuleCondition: { 'Fn::Equals': [{ 'Fn::Join': ['', { Ref: 'Repositories' }] }, 'x'] }, Assertions: [{ Assert: { 'Fn::Equals': ['a', 'a'] }, AssertDescription: 'x' }] } },
    Resources: {
      // Fargate without task-level Memory (defect 1).
      Task: {
        Type: 'AWS::ECS::TaskDefinition',
        Properties: { RequiresCompatibilities: ['FARGATE'], NetworkMode: 'awsvpc', Cpu: '256', ContainerDefinitions: [{ Name: 'c', Image: 'busybox:1', Memory: 512 }] },
      },
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    },
  };

  it('CloudFormation Validate reports Fn::Join in Rules (F8611) and a Fargate task without Memory (E3048); an exemption cannot cover them', () => {
    const exemptions = [{ rule: 'F8611', resources: ['Listed'], reason: 'must not work' }];
    const result = validateUnderMatrix('broken', { template: JSON.stringify(base) }, exemptions);
    const failing = new Set(result.failures.map((f) => `${f.ruleId} ${f.logicalId}`));
    expect([...failing]).toEqual(expect.arrayContaining(['F8611 Listed', 'E3048 Task']));
    expect(result.exempted).toEqual([]);
  });

  it('the parameter matrix reports a Condition value no accepted combination reaches', () => {
    const result = validateUnderMatrix('gap', { template: JSON.stringify({ ...base, Rules: {} }) });
    expect(result.matrix.uncovered).toEqual(['HasName=true']);
  });

  it('cdk-nag reports a queue without a TLS-only policy, and an exemption that matches nothing is stale', () => {
    const files = writeTemplateFiles('nag-broken', { ...base, Rules: {} });
    const report = cdkNag(files.json, [{ rule: 'AwsSolutions-SNS2', resources: ['Queue'], reason: 'stale on purpose: there is no topic' }]);
    expect(report.violations.map((v) => `${v.rule} ${v.resource}`)).toContain('AwsSolutions-SQS4 Queue');
    expect(staleExemptions([report]).map((e) => e.rule)).toEqual(['AwsSolutions-SNS2']);
  });
});
