import fs from 'node:fs';
import { FARGATE_SIZES } from '../../templates/core/constants';
import { Res } from '../../templates/core/ids';
import { parseCfnYaml, toJson, toYaml } from '../../templates/core/serialize';
import { buildWorkPool } from '../../templates/functions/workPool';
import { buildWorkerStack } from '../../templates/stacks/worker';
import { PUBLISHED_STACKS } from '../../templates/stacks';
import { parameterContext } from '../../templates/worker/context';
import { WORKER_START_SCRIPT } from '../../templates/worker/ecs';
import { expectGolden } from '../support/stacks';
import { resourcesOfType, type Json } from '../support/template';

const template = buildWorkerStack() as unknown as Json;
const resources = template.Resources as Json;

describe('worker stack template', () => {
  it('matches the golden file (UPDATE_GOLDEN=1 npm test rewrites it after an intended change)', () => {
    expectGolden('worker.template.json', toJson(buildWorkerStack()));
  });

  it('is byte-identical across synthesis runs', () => {
    expect(toJson(buildWorkerStack())).toBe(toJson(buildWorkerStack()));
    expect(toYaml(buildWorkerStack())).toBe(toYaml(buildWorkerStack()));
  });

  it('says the same thing in YAML short form as in JSON', () => {
    const yaml = toYaml(template);
    expect(yaml).toContain('!Ref WorkerImage');
    expect(yaml).toContain('!GetAtt EcsObserverQueue.Arn');
    expect(yaml).toContain('!If');
    expect(parseCfnYaml(yaml)).toEqual(template);
  });

  it('never sets the worker desired count, so a stack update cannot reset it', () => {
    const [[, service]] = resourcesOfType(template, 'AWS::ECS::Service');
    expect(service!.Properties).not.toHaveProperty('DesiredCount');
    expect(service!.Properties.DeploymentConfiguration.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
  });

  it('runs `prefect worker start --pool <pool> --type ecs --with-healthcheck` with the submissions-per-worker limit and optional queues', () => {
    const container = resources.WorkerTaskDefinition.Properties.ContainerDefinitions[0];
    expect(container.EntryPoint).toEqual(['/bin/sh', '-c']);
    expect(container.Command).toEqual([WORKER_START_SCRIPT]);
    expect(WORKER_START_SCRIPT).toContain(
      'prefect worker start --pool "$PREFECT_ECS_STACK_WORK_POOL" --type ecs --with-healthcheck --limit "$PREFECT_ECS_STACK_SUBMISSIONS_PER_WORKER"',
    );
    const env = Object.fromEntries(container.Environment.map((e: Json) => [e.Name, e.Value]));
    expect(env.PREFECT_ECS_STACK_WORK_POOL).toEqual({ Ref: 'WorkPoolName' });
    expect(env.PREFECT_ECS_STACK_WORK_QUEUES).toEqual({ Ref: 'WorkQueues' });
    expect(env.PREFECT_ECS_STACK_SUBMISSIONS_PER_WORKER).toEqual({ Ref: 'SubmissionsPerWorker' });
    expect(env.PREFECT_INTEGRATIONS_AWS_ECS_OBSERVER_SQS_QUEUE_NAME).toEqual({ 'Fn::GetAtt': ['EcsObserverQueue', 'QueueName'] });
    expect(env.PREFECT_INTEGRATIONS_AWS_ECS_OBSERVER_ENABLED).toBe('true');
    expect(container.HealthCheck.Command[1]).toContain('http://127.0.0.1:8080/health');
    expect(container.LogConfiguration.LogDriver).toBe('awslogs');
    expect(container.ReadonlyRootFilesystem).toBe(true);
  });

  it('injects the credential as PREFECT_API_KEY or PREFECT_API_AUTH_STRING from Secrets Manager', () => {
    const container = resources.WorkerTaskDefinition.Properties.ContainerDefinitions[0];
    expect(container.Secrets).toEqual({
      'Fn::If': [
        'HasPrefectAuth',
        [
          {
            Name: { 'Fn::If': ['UsePrefectApiKey', 'PREFECT_API_KEY', 'PREFECT_API_AUTH_STRING'] },
            ValueFrom: { 'Fn::If': ['UseExistingPrefectAuthSecret', { Ref: 'PrefectAuthSecretArn' }, { Ref: 'PrefectAuthSecret' }] },
          },
        ],
        { Ref: 'AWS::NoValue' },
      ],
    });
    expect(resources.PrefectAuthSecret.Condition).toBe('CreatePrefectAuthSecret');
    expect(template.Parameters.PrefectAuthValue.NoEcho).toBe(true);
  });

  it('offers exactly the valid Fargate CPU/memory pairs as worker sizes', () => {
    expect(template.Parameters.WorkerSize.AllowedValues).toEqual(FARGATE_SIZES);
    expect(FARGATE_SIZES).toHaveLength(74);
    expect(FARGATE_SIZES).toContain('256/512');
    expect(FARGATE_SIZES).not.toContain('256/4096');
    expect(FARGATE_SIZES).toContain('16384/122880');
  });

  it('writes the work pool once the Prefect API answers: at once for an API outside the stack, after what the context names otherwise', () => {
    expect(resources.WorkPool).not.toHaveProperty('DependsOn');
    expect(resources.WorkerService.DependsOn).toBe('WorkPool');
    const serverLike = buildWorkPool({ ...parameterContext(), apiReadyDependsOn: [Res.ServerService, Res.HttpsListener] });
    expect(JSON.parse(JSON.stringify(serverLike.Resources![Res.WorkPool]))).toMatchObject({ DependsOn: ['ServerService', 'HttpsListener'] });
  });

  it('checks credential combinations with Rules before anything is created', () => {
    const rule = template.Rules.CredentialGivenOnce;
    expect(rule.RuleCondition).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'PrefectAuthMode' }, 'none'] }] });
    expect(rule.Assertions.map((a: Json) => a.AssertDescription)).toEqual([
      expect.stringContaining('give PrefectAuthSecretArn or PrefectAuthValue'),
      expect.stringContaining('not both'),
    ]);
  });

  it('creates a cluster with FARGATE and FARGATE_SPOT only when none is given', () => {
    expect(resources.Cluster.Condition).toBe('CreateCluster');
    expect(resources.Cluster.Properties.CapacityProviders).toEqual(['FARGATE', 'FARGATE_SPOT']);
    expect(template.Conditions.CreateCluster).toEqual({ 'Fn::Equals': [{ Ref: 'ExistingClusterName' }, ''] });
  });

  it('gives the worker an egress-only security group', () => {
    const group = resources.WorkerSecurityGroup.Properties;
    expect(group).not.toHaveProperty('SecurityGroupIngress');
    expect(resources.WorkerService.Properties.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups).toEqual([{ Ref: 'WorkerSecurityGroup' }]);
    expect(resourcesOfType(template, 'AWS::EC2::SecurityGroupIngress')).toHaveLength(0);
  });

  it('sends this cluster\'s task state changes to an encrypted queue with a DLQ that only the rule may write', () => {
    const rule = resources.EcsTaskStateChangeRule.Properties;
    expect(rule.EventPattern.source).toEqual(['aws.ecs']);
    expect(rule.EventPattern['detail-type']).toEqual(['ECS Task State Change']);
    expect(rule.EventPattern.detail.clusterArn).toHaveLength(1);
    expect(resources.EcsObserverQueue.Properties.SqsManagedSseEnabled).toBe(true);
    expect(resources.EcsObserverQueue.Properties.RedrivePolicy.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': ['EcsObserverDeadLetterQueue', 'Arn'] });
    const [allow] = resources.EcsObserverQueuePolicy.Properties.PolicyDocument.Statement;
    expect(allow.Condition).toEqual({ ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['EcsTaskStateChangeRule', 'Arn'] } } });
  });

  it('keeps log groups with retention, and outputs every handle the other parts need', () => {
    for (const id of ['WorkerLogGroup', 'FlowRunLogGroup']) {
      expect(resources[id].Properties.RetentionInDays).toEqual({ Ref: 'LogRetentionDays' });
      expect(resources[id].DeletionPolicy).toBe('Retain');
    }
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining(['ClusterName', 'WorkerServiceName', 'WorkerTaskRoleArn', 'FlowRunExecutionRoleArn', 'FlowRunTaskRoleArn',
        'ObserverQueueUrl', 'WorkerLogGroupName', 'FlowRunLogGroupName', 'PrefectSecretArn']),
    );
  });

  it('names no physical resource but after its stack or as the user chose (other names would collide across stacks and regions)', () => {
    const manifest = { file: 'm.yaml', text: fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8') };
    for (const variant of [template, buildWorkerStack({ manifest }) as unknown as Json]) {
      const naming = ['RoleName', 'ClusterName', 'QueueName', 'LogGroupName', 'ServiceName', 'Name', 'GroupName', 'RepositoryName'];
      const fixedNames = Object.entries(variant.Resources as Json)
        .filter(([, r]) => !(r as Json).Type.startsWith('Custom::'))
        .flatMap(([id, r]) => naming.filter((p) => p in ((r as Json).Properties ?? {})).map((p) => [id, (r as Json).Properties[p]] as const))
        // After the stack: its name, or its ID's UUID (the observer queue).
        .filter(([, value]) => !/\$\{AWS::StackName\}|"AWS::StackId"/.test(JSON.stringify(value)) && !(value as Json)?.Ref);
      expect(fixedNames).toEqual([]);
    }
  });

  it('runs the registrar one invocation at a time and sends it edits of its manifest parameter', () => {
    const manifest = { file: 'm.yaml', text: fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8') };
    const resources = (buildWorkerStack({ manifest }) as unknown as Json).Resources;
    expect(resources.RegistrarFunction.Properties.ReservedConcurrentExecutions).toBe(1);
    expect(resources.RegistrarManifestChangeRule).toMatchObject({
      Condition: 'RegistrarEnabled',
      Properties: {
        EventPattern: {
          source: ['aws.ssm'],
          'detail-type': ['Parameter Store Change'],
          resources: [{ 'Fn::If': ['HasManifestParameter', expect.anything(), { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/prefect-ecs-stack/${AWS::StackName}/manifest' }] }],
          detail: { operation: ['Create', 'Update'] },
        },
        Targets: [expect.objectContaining({ Arn: { 'Fn::GetAtt': ['RegistrarFunction', 'Arn'] } })],
      },
    });
    expect(JSON.parse(resources.RegistrarManifest.Properties.Value).ecr_triggers).toHaveLength(2);
    expect(template.Resources.RegistrarManifestChangeRule.Properties.EventPattern.resources).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ManifestParameterName}' }]);
  });

  it('repairs lost events: a 15-minute reconcile, events kept 6 hours, the stored manifest created after its rule and the work pool', () => {
    const manifest = { file: 'm.yaml', text: fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8') };
    const resources = (buildWorkerStack({ manifest }) as unknown as Json).Resources;
    expect(resources.RegistrarReconcileRule).toMatchObject({ Condition: 'RegistrarEnabled', Properties: { ScheduleExpression: 'rate(15 minutes)', Targets: [expect.objectContaining({ Arn: { 'Fn::GetAtt': ['RegistrarFunction', 'Arn'] } })] } });
    expect(resources.RegistrarReconcileRulePermission.Properties.SourceArn).toEqual({ 'Fn::GetAtt': ['RegistrarReconcileRule', 'Arn'] });
    expect(resources.RegistrarFunction.Properties).toMatchObject({ Timeout: 300, EventInvokeConfig: { MaximumEventAgeInSeconds: 21600 } });
    for (const rule of ['RegistrarImagePushRule', 'RegistrarManifestChangeRule']) expect(resources[rule].Properties.Targets[0].RetryPolicy.MaximumEventAgeInSeconds).toBe(21600);
    expect(resources.RegistrarManifest).toMatchObject({ Condition: 'RegistrarEnabled', DependsOn: ['RegistrarManifestChangeRule', 'RegistrarManifestChangeRulePermission', 'WorkPool'] });
    // The function names the parameter without a Ref: a Ref would close a cycle through the rule.
    expect(JSON.stringify(resources.RegistrarFunction.Properties.Environment)).not.toContain('"Ref":"RegistrarManifest"');
    expect(resources.RegistrarProblemsAlarm.Properties.Metrics.map((m: Json) => m.MetricStat?.Metric.MetricName ?? m.Expression)).toEqual(['DeploymentsFailed', 'ManifestInvalid', 'FILL(failed, 0) + FILL(manifest, 0)']);
  });

  it('lays out the console form with every parameter in exactly one group', () => {
    const form = template.Metadata['AWS::CloudFormation::Interface'];
    const grouped = form.ParameterGroups.flatMap((g: Json) => g.Parameters);
    expect(form.ParameterGroups.map((g: Json) => g.Label.default)).toEqual(['Prefect', 'Network', 'Worker', 'Scaler', 'Registrar (deployments from ECR pushes)', 'Flow runs']);
    expect([...grouped].sort()).toEqual(Object.keys(template.Parameters).sort());
    for (const id of grouped) expect(form.ParameterLabels[id].default).toBeTruthy();
  });
});

describe('outputs of every published stack', () => {
  it.each(PUBLISHED_STACKS.map((s) => [s.name, s] as const))('say what each value is for in the %s stack, not its name again', (_name, stack) => {
    const outputs = Object.entries(stack.build().Outputs as Record<string, { Description: string; Export?: { Name: unknown } }>);
    const echoes = outputs.filter(([name, o]) => o.Description.includes(name) || o.Description.split(' ').length < 5).map(([name]) => name);
    expect(echoes).toEqual([]);
  });
});
