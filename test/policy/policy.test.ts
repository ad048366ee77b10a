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

  it('uses Resource "*" only for the documented unscoped actions', () => {
    const wildcard = iamStatements(template).filter((s) => s.statement.Effect === 'Allow' && resourcesOf(s.statement).includes('*'));
    const actions = [...new Set(wildcard.flatMap((s) => actionsOf(s.statement)))].sort();
    expect(actions.every((a) => a in UNSCOPED_ACTIONS)).toBe(true);
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

describe('deploy constraints of issue 9 the policy checks enforce', () => {
  const worker = asCfn(PUBLISHED_STACKS.find((s) => s.name === 'worker')!.build());
  const server = asCfn(PUBLISHED_STACKS.find((s) => s.name === 'server')!.build());
  const checksFailing = (t: unknown) => failures(evaluatePolicies(asCfn(t))).map((f) => `${f.check} ${f.subject}`);

  it('defect 1: every FARGATE task definition of both stacks has task-level Cpu and Memory from one size parameter', () => {
    for (const t of [worker, server]) {
      const verdicts = evaluatePolicies(t).filter((f) => f.check === 'fargateTaskSize' && f.verdict !== 'N/A');
      expect(verdicts.map((f) => `${f.subject} ${f.verdict}`).sort()).toEqual(
        Object.entries(t.Resources).filter(([, r]) => r.Type === 'AWS::ECS::TaskDefinition').map(([id]) => `Resources.${id} COMPLIANT`).sort(),
      );
    }
  });

  it('defect 1: flags a FARGATE task definition without task-level Memory, an invalid literal pair, or halves of two parameters', () => {
    const noMemory = clone(worker) as Json;
    delete noMemory.Resources.WorkerTaskDefinition.Properties.Memory;
    expect(checksFailing(noMemory)).toEqual(['fargateTaskSize Resources.WorkerTaskDefinition']);
    const badPair = clone(worker) as Json;
    Object.assign(badPair.Resources.WorkerTaskDefinition.Properties, { Cpu: '256', Memory: '4096' });
    expect(checksFailing(badPair)).toEqual(['fargateTaskSize Resources.WorkerTaskDefinition']);
    const mixed = clone(server) as Json;
    mixed.Resources.ServerTaskDefinition.Properties.Memory = { 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'WorkerSize' }] }] };
    expect(checksFailing(mixed)).toEqual(['fargateTaskSize Resources.ServerTaskDefinition']);
  });

  it('defect 2: flags Fn::Join (or any non-rule function) inside Rules', () => {
    const t = clone(server) as Json;
    t.Rules.ExistingVpcNeedsSubnets.Assertions[0].Assert = { 'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': ['', { Ref: 'PrivateSubnetIds' }] }, ''] }] };
    expect(checksFailing(t)).toEqual(['rulesUseOnlyRuleFunctions Rules.ExistingVpcNeedsSubnets']);
    expect(evaluatePolicies(worker).filter((f) => f.check === 'rulesUseOnlyRuleFunctions').length).toBeGreaterThanOrEqual(3);
  });

  it('defect 3: flags the alarm topic under the AWS managed key, or a key whose policy does not admit CloudWatch', () => {
    const managed = clone(worker) as Json;
    managed.Resources.AlarmTopic.Properties.KmsMasterKeyId = 'alias/aws/sns';
    expect(checksFailing(managed)).toEqual(['kmsKeysAdmitServicePublishers Resources.AlarmTopic']);
    const closed = clone(worker) as Json;
    const statements = closed.Resources.AlarmTopicKey.Properties.KeyPolicy.Statement as Json[];
    closed.Resources.AlarmTopicKey.Properties.KeyPolicy.Statement = statements.filter((s) => s.Principal?.Service !== 'cloudwatch.amazonaws.com');
    expect(checksFailing(closed)).toEqual(['kmsKeysAdmitServicePublishers Resources.AlarmTopic']);
  });

  it('defect 3: also judges EventBridge deliveries into a KMS-encrypted queue', () => {
    const t = clone(worker) as Json;
    const queue = t.Resources.EcsObserverQueue.Properties;
    delete queue.SqsManagedSseEnabled;
    queue.KmsMasterKeyId = 'alias/aws/sqs';
    expect(checksFailing(t)).toEqual(['kmsKeysAdmitServicePublishers Resources.EcsObserverQueue']);
    expect(evaluatePolicies(worker).find((f) => f.check === 'kmsKeysAdmitServicePublishers' && f.subject === 'Resources.AlarmTopic')?.verdict).toBe('COMPLIANT');
  });
});


describe('server high availability (issue 14): the cache and the migrations', () => {
  const server = asCfn(PUBLISHED_STACKS.find((s) => s.name === 'server')!.build());
  const verdict = (t: unknown, check: string, subject: string) => evaluatePolicies(asCfn(t)).find((f) => f.check === check && f.subject === subject)?.verdict;
  const containers = (t: Json, id: string) => t.Resources[id].Properties.ContainerDefinitions as Json[];

  it('judges the server stack compliant, not merely not applicable', () => {
    expect(verdict(server, 'cacheEncryptedWithAuth', 'Resources.Cache')).toBe('COMPLIANT');
    expect(verdict(server, 'cacheReachableOnlyFromServerTasks', 'Resources.Cache')).toBe('COMPLIANT');
    expect(verdict(server, 'migrationsRunOnce', 'Template')).toBe('COMPLIANT');
    expect(verdict(PUBLISHED_STACKS.find((s) => s.name === 'worker')!.build(), 'migrationsRunOnce', 'Template')).toBe('N/A');
  });

  it.each<[string, (p: Json) => void]>([
    ['without TLS', (p) => (p.TransitEncryptionEnabled = false)],
    ['with TLS only preferred', (p) => (p.TransitEncryptionMode = 'preferred')],
    ['unencrypted at rest', (p) => delete p.AtRestEncryptionEnabled],
    ['without an AUTH token', (p) => delete p.AuthToken],
    ['with the token written into the template', (p) => (p.AuthToken = 'abcdefghijklmnopqrstuvwxyz012345')],
  ])('flags a cache %s', (_name, weaken) => {
    const t = clone(server) as Json;
    weaken(t.Resources.Cache.Properties);
    expect(verdict(t, 'cacheEncryptedWithAuth', 'Resources.Cache')).toBe('NON_COMPLIANT');
  });

  it.each<[string, (t: Json) => void]>([
    ['from a CIDR', (t) => (t.Resources.CacheSecurityGroup.Properties.SecurityGroupIngress = [{ IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379, CidrIp: '10.0.0.0/8' }])],
    ['from the Lambdas', (t) => (t.Resources.CacheIngressFromServer.Properties.SourceSecurityGroupId = { Ref: 'LambdaSecurityGroup' })],
    ['from a group the workers share with the server', (t) => t.Resources.WorkerService.Properties.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups.push({ Ref: 'ServerSecurityGroup' })],
    ['on every port', (t) => Object.assign(t.Resources.CacheIngressFromServer.Properties, { FromPort: 0, ToPort: 65535 })],
    ['without a security group of its own', (t) => delete t.Resources.Cache.Properties.SecurityGroupIds],
  ])('flags a cache reachable %s', (_name, weaken) => {
    const t = clone(server) as Json;
    weaken(t);
    expect(verdict(t, 'cacheReachableOnlyFromServerTasks', 'Resources.Cache')).toBe('NON_COMPLIANT');
  });

  it.each<[string, (t: Json) => void]>([
    ['API tasks that migrate at start', (t) => containers(t, 'ServerApiTaskDefinition')[0].Environment.find((e: Json) => e.Name === 'PREFECT_SERVER_DATABASE_MIGRATE_ON_START').Value = 'true'],
    ['two background-services tasks', (t) => (t.Resources.BackgroundServicesService.Properties.DesiredCount = 2)],
    ['services that start before the migration succeeded', (t) => delete containers(t, 'BackgroundServicesTaskDefinition')[1].DependsOn],
    ['an API that does not wait for the migration', (t) => delete t.Resources.ServerService.Properties.Tags],
    ['a single server task that may overlap its successor', (t) => (t.Resources.ServerService.Properties.DeploymentConfiguration['Fn::If'][2].MaximumPercent = 200)],
  ])('flags %s', (_name, weaken) => {
    const t = clone(server) as Json;
    weaken(t);
    expect(verdict(t, 'migrationsRunOnce', 'Template')).toBe('NON_COMPLIANT');
  });
});
