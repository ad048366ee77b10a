import fs from 'node:fs';
import { UNSCOPED_ACTIONS } from '../../templates/worker/iamUnscopedActions';
import { PUBLISHED_STACKS } from '../../templates/stacks';
import { asCfn, type Json } from '../support/template';
import { evaluatePolicies, failures } from './evaluate';
import { iamStatements } from './statements';
import { actionsOf, resourcesOf } from './types';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

const MANIFEST = { file: 'test/fixtures/manifests/prefect.yaml', text: fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8') };

describe.each(PUBLISHED_STACKS.flatMap((s) => [[s.name, () => s.build()], [`${s.name} with a stored manifest`, () => s.build({ manifest: MANIFEST })]] as const))('IAM and secret policy of the %s stack', (_name, build) => {
  const template = asCfn(build());

  it('passes every check (least privilege, PassRole, ECS conditions, secrets)', () => {
    expect(failures(evaluatePolicies(template))).toEqual([]);
  });

  it('finds the statements it judges (the walker is not blind)', () => {
    expect(iamStatements(template).length).toBeGreaterThan(10);
  });

  it('uses Resource "*" only for the documented unscoped actions, and reports them', () => {
    const wildcard = iamStatements(template).filter((s) => s.statement.Effect === 'Allow' && resourcesOf(s.statement).includes('*'));
    const actions = [...new Set(wildcard.flatMap((s) => actionsOf(s.statement)))].sort();
    expect(actions.every((a) => a in UNSCOPED_ACTIONS)).toBe(true);
    console.log(`${_name}: ${wildcard.length} Resource "*" statement(s) with ${actions.length} action(s): ${actions.join(', ')}`);
  });
});

describe('the policy test fails when someone weakens a policy', () => {
  const base = asCfn(PUBLISHED_STACKS.find((s) => s.name === 'worker')!.build());
  const taskPolicy = (t: Json) => t.Resources.WorkerTaskRole.Properties.Policies[0].PolicyDocument.Statement as Json[];

  it('flags an added Action "*"', () => {
    const t = clone(base) as Json;
    taskPolicy(t).push({ Effect: 'Allow', Action: '*', Resource: { 'Fn::GetAtt': ['EcsObserverQueue', 'Arn'] } });
    expect(failures(evaluatePolicies(asCfn(t))).map((f) => f.check)).toContain('noWildcardAction');
  });

  it('flags a whole-service wildcard such as s3:*', () => {
    const t = clone(base) as Json;
    taskPolicy(t).push({ Effect: 'Allow', Action: ['s3:*'], Resource: 'arn:aws:s3:::bucket/*' });
    expect(failures(evaluatePolicies(asCfn(t))).map((f) => f.check)).toContain('noWildcardAction');
  });

  it('flags Resource "*" on an action outside the allow-list', () => {
    const t = clone(base) as Json;
    taskPolicy(t).push({ Effect: 'Allow', Action: ['sqs:ReceiveMessage'], Resource: '*' });
    expect(failures(evaluatePolicies(asCfn(t))).map((f) => f.check)).toEqual(['wildcardResourceOnlyForUnscopedActions']);
  });

  it('flags PassRole without iam:PassedToService or on every role', () => {
    const t = clone(base) as Json;
    const passRole = taskPolicy(t).find((s) => s.Sid === 'PassFlowRunRoles')!;
    delete passRole.Condition;
    expect(failures(evaluatePolicies(asCfn(t))).map((f) => f.check)).toContain('passRoleNamesRolesForEcsTasks');
    const u = clone(base) as Json;
    taskPolicy(u).find((s) => s.Sid === 'PassFlowRunRoles')!.Resource = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*' };
    expect(failures(evaluatePolicies(asCfn(u))).map((f) => f.check)).toContain('passRoleNamesRolesForEcsTasks');
  });

  it('flags RunTask without the ecs:cluster condition', () => {
    const t = clone(base) as Json;
    delete taskPolicy(t).find((s) => s.Sid === 'RunFlowRunTasksInThisCluster')!.Condition;
    expect(failures(evaluatePolicies(asCfn(t))).map((f) => f.check)).toEqual(['ecsTaskActionsConditionedOnCluster']);
  });

  it('flags a credential in a container environment, an output, or a parameter without NoEcho', () => {
    const t = clone(base) as Json;
    t.Resources.WorkerTaskDefinition.Properties.ContainerDefinitions[0].Environment.push({ Name: 'PREFECT_API_KEY', Value: { Ref: 'PrefectAuthValue' } });
    t.Outputs.Leak = { Value: { Ref: 'PrefectAuthValue' } };
    delete t.Parameters.PrefectAuthValue.NoEcho;
    const checks = failures(evaluatePolicies(asCfn(t))).map((f) => f.check);
    expect(checks).toEqual(expect.arrayContaining(['noSecretInEnvironment', 'noSecretInOutputs', 'secretParametersAreNoEcho']));
  });

  it('says so when an action cannot be read instead of passing', () => {
    const t = clone(base) as Json;
    taskPolicy(t).push({ Effect: 'Allow', Action: [{ Ref: 'SomeParameter' }], Resource: 'arn:aws:s3:::b' });
    expect(failures(evaluatePolicies(asCfn(t))).map((f) => f.verdict)).toContain('UNRESOLVABLE');
  });
});
