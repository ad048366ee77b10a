/**
 * AWS CloudFormation Validate (without values and under the parameter matrix, on the SAM
 * template and its expansion) and cdk-nag (AwsSolutions, ServerlessChecks on the expansion) over
 * every published template, and proof that they catch what they should.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cdkNag, type NagReport } from '../../scripts/lib/validation/cdkNag';
import { staleExemptions } from '../../scripts/lib/validation/cfnGuard';
import { cfnValidate, formatValidateFinding } from '../../scripts/lib/validation/cfnValidate';
import { validateUnderMatrix, type MatrixValidation } from '../../scripts/lib/validation/matrixValidation';
import { conditionValues, type TemplateLogic } from '../../scripts/lib/validation/conditionLogic';
import { conditionCover, parameterMatrix, type Scenario } from '../../scripts/lib/validation/parameterMatrix';
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

  it('passes cdk-nag (AwsSolutions, Serverless) on the SAM expansion with the defaults and combinations that take every Condition both ways, every finding exempted with a reason', () => {
    const report = cdkNag(expanded);
    expect(report.findings.length).toBeGreaterThan(10);
    expect(report.violations).toEqual([]);
    // Every Condition value an accepted matrix combination takes is taken in a run cdk-nag saw: each Condition both ways.
    const template = JSON.parse(fs.readFileSync(expanded, 'utf8')) as TemplateLogic;
    const facts = (scenarios: readonly Scenario[]) => new Set(scenarios.flatMap((s) => Object.entries(conditionValues(template, s.values)).map(([c, v]) => `${c}=${v}`)));
    const cover = conditionCover(template);
    expect(report.scenarios).toEqual(cover.map((s) => s.name));
    expect(report.scenarios[0]).toBe('defaults');
    expect(facts(cover)).toEqual(new Set(Object.keys(template.Conditions ?? {}).flatMap((c) => [`${c}=true`, `${c}=false`])));
    expect(cover.length).toBeLessThan(parameterMatrix(template).scenarios.length);
    // Only a run with an existing cluster quotes its name in an IAM5 finding.
    expect(report.findings.map((f) => f.rule)).toContainEqual(expect.stringContaining('"shared-cluster"'));
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

  it('CloudFormation Validate flags (W1001) a PrefectSecretArn output for both credential sources, even when Fn::If guards the secret by its own Condition (why the output covers the created secret only)', () => {
    const worker = JSON.parse(JSON.stringify(PUBLISHED_STACKS.find((s) => s.name === 'worker')!.build()));
    worker.Conditions.HasPrefectAuthSecret = { 'Fn::Or': [{ Condition: 'CreatePrefectAuthSecret' }, { Condition: 'UseExistingPrefectAuthSecret' }] };
    const values = { PrefectApiUrl: 'https://prefect.example.com/api', VpcId: 'vpc-0123456789abcdef0', SubnetIds: 'subnet-0123456789abcdef0,subnet-0fedcba9876543210' };
    const existing = { ...values, PrefectAuthSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prefect-AbCdEf' };
    for (const value of [
      { 'Fn::If': ['UseExistingPrefectAuthSecret', { Ref: 'PrefectAuthSecretArn' }, { Ref: 'PrefectAuthSecret' }] },
      { 'Fn::If': ['CreatePrefectAuthSecret', { Ref: 'PrefectAuthSecret' }, { Ref: 'PrefectAuthSecretArn' }] },
    ]) {
      worker.Outputs.PrefectSecretArn = { ...worker.Outputs.PrefectSecretArn, Condition: 'HasPrefectAuthSecret', Value: value };
      const findings = cfnValidate(JSON.stringify(worker), 'worker.json', existing).findings.filter((f) => f.logicalId === 'PrefectSecretArn');
      expect(findings.map((f) => f.ruleId)).toContain('W1001');
    }
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

describe('the run without values sets a finding aside only when a matrix run covers its Conditions and it quotes a parameter default', () => {
  /** A role whose managed policies are `policies` when the parameter `name` is given (FlowRunManagedPolicyArns has samples, so the matrix gives it a value). */
  const pairing = (name: string, policies: unknown) => ({
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: { [name]: { Type: 'String', Default: '', AllowedPattern: '^(arn:aws:iam::([0-9]{12}|aws):policy/[A-Za-z0-9/_-]+(,arn:aws:iam::([0-9]{12}|aws):policy/[A-Za-z0-9/_-]+)*)?$' } },
    Conditions: { HasPolicies: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: name }, ''] }] } },
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
          ManagedPolicyArns: { 'Fn::If': ['HasPolicies', policies, { Ref: 'AWS::NoValue' }] },
        },
      },
    },
  });
  const fromNoValuesRun = (result: MatrixValidation) => result.failures.filter((f) => f.scenario === 'no values').map((f) => `${f.ruleId} ${f.logicalId}`);

  it('sets aside the default "" paired with HasPolicies=true, naming the parameter and the matrix run that takes HasPolicies=true', () => {
    const result = validateUnderMatrix('pairing', { template: JSON.stringify(pairing('FlowRunManagedPolicyArns', { 'Fn::Split': [',', { Ref: 'FlowRunManagedPolicyArns' }] })) });
    expect(result.failures).toEqual([]);
    expect(result.excludedByDefaults.map((e) => [e.finding.ruleId, e.finding.logicalId, e.parameter, e.conditions])).toEqual([['F3031', 'Role', 'FlowRunManagedPolicyArns', 'HasPolicies=true']]);
    expect(result.matrix.scenarios[result.excludedByDefaults[0]!.coveredBy]!.values.FlowRunManagedPolicyArns).not.toBe('');
  });

  it('fails a literal defect in that branch: the value the engine quotes is no parameter\'s default', () => {
    const result = validateUnderMatrix('literal', { template: JSON.stringify(pairing('FlowRunManagedPolicyArns', ['not-a-policy-arn'])) });
    expect(result.excludedByDefaults).toEqual([]);
    expect(fromNoValuesRun(result)).toEqual(['F3031 Role']);
  });

  it('fails the finding when no matrix run takes its Condition values (a parameter without a sample)', () => {
    const result = validateUnderMatrix('uncovered', { template: JSON.stringify(pairing('Policies', { 'Fn::Split': [',', { Ref: 'Policies' }] })) });
    expect(result.matrix.uncovered).toEqual(['HasPolicies=true']);
    expect(result.excludedByDefaults).toEqual([]);
    expect(fromNoValuesRun(result)).toEqual(['F3031 Role']);
  });
});
