/**
 * The SAM-expanded self-hosted stack is created in moto_server (the RDS port is set explicitly)
 * and reaches CREATE_COMPLETE with the server, database, load balancer and worker resources, in
 * the single-task and the high-availability mode (test/support/motoGaps.ts says what moto skips).
 */
import { CloudFormationClient, CreateStackCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import fs from 'node:fs';
import path from 'node:path';
import { samExpand } from '../../scripts/lib/validation/samExpand';
import { buildServerStack } from '../../templates/stacks/server';
import { REVISION_CHECK } from '../../templates/server/containers';
import { uploadLambdaCode } from '../support/lambdaCode';
import { resolveUnder } from '../policy/resolve';
import { MOTO_IGNORED_TYPES, MOTO_MISSING_ATTRIBUTES, withoutMotoGaps } from '../support/motoGaps';
import { motoClientConfig, startMotoServer, type MotoServer } from '../support/motoServer';
import { waitForStack } from '../support/stacks';
import { asCfn, writeTemplateFiles } from '../support/template';

let moto: MotoServer;
let cloudformation: CloudFormationClient;
let body: string;
let removed: string[];
let expandedTemplate: unknown;

beforeAll(async () => {
  moto = await startMotoServer();
  cloudformation = new CloudFormationClient({ ...motoClientConfig(moto), maxAttempts: 1 });
  await uploadLambdaCode(moto);
  const files = writeTemplateFiles('server', buildServerStack());
  const expanded = path.join(files.dir, 'expanded.json');
  samExpand(files.json, expanded);
  const compatible = withoutMotoGaps(JSON.parse(fs.readFileSync(expanded, 'utf8')));
  removed = compatible.removed;
  expandedTemplate = compatible.template;
  body = JSON.stringify(compatible.template);
});

afterAll(async () => {
  await moto?.stop();
});

const settle = (name: string) => waitForStack(cloudformation, name);

describe('self-hosted server stack in moto_server', () => {
  it('reaches CREATE_COMPLETE with a new VPC, RDS PostgreSQL, the ALB, the server and the workers', async () => {
    await cloudformation.send(
      new CreateStackCommand({
        StackName: 'prefect-server',
        TemplateBody: body,
        Capabilities: ['CAPABILITY_IAM'],
        // moto evaluates outputs whose condition is false, so the optional repository is created.
        Parameters: [{ ParameterKey: 'EcrRepositoryName', ParameterValue: 'flows/etl' }, { ParameterKey: 'ManifestParameterName', ParameterValue: '/prefect/manifest' }],
      }),
    );
    const stack = await settle('prefect-server');
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const listed = await cloudformation.send(new ListStackResourcesCommand({ StackName: 'prefect-server' }));
    const types = Object.fromEntries(listed.StackResourceSummaries!.map((r) => [r.LogicalResourceId!, r.ResourceType!]));
    expect(types).toMatchObject({
      Vpc: 'AWS::EC2::VPC',
      PrivateSubnet1: 'AWS::EC2::Subnet',
      NatGateway1: 'AWS::EC2::NatGateway',
      Database: 'AWS::RDS::DBInstance',
      DatabaseSubnetGroup: 'AWS::RDS::DBSubnetGroup',
      LoadBalancer: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      ServerTargetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      HttpListener: 'AWS::ElasticLoadBalancingV2::Listener',
      ServerService: 'AWS::ECS::Service',
      WorkerService: 'AWS::ECS::Service',
      ScalerFunction: 'AWS::Lambda::Function',
    });
    const outputs = Object.fromEntries(stack.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs.ApiUrl).toMatch(/^http:\/\/.+\/api$/);
    expect(removed).toEqual(['ScalerFunctionUrl', 'WorkPool', 'Outputs.WorkPoolName', 'Outputs.ScalerWebhookUrl']);
  });

  async function createWith(name: string, values: Record<string, string>) {
    const base = { EcrRepositoryName: `flows/${name}`, ManifestParameterName: '/prefect/manifest' };
    await cloudformation.send(
      new CreateStackCommand({
        StackName: name,
        TemplateBody: body,
        Capabilities: ['CAPABILITY_IAM'],
        Parameters: Object.entries({ ...base, ...values }).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      }),
    );
    const stack = await settle(name);
    const listed = await cloudformation.send(new ListStackResourcesCommand({ StackName: name }));
    return { stack, types: Object.fromEntries(listed.StackResourceSummaries!.map((r) => [r.LogicalResourceId!, r.ResourceType!])) };
  }

  it('uses VPC endpoints instead of NAT gateways when asked', async () => {
    const { stack, types } = await createWith('prefect-server-endpoints', { NetworkMode: 'vpc-endpoints' });
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(types).toMatchObject({ EndpointEcrApi: 'AWS::EC2::VPCEndpoint', EndpointSecretsmanager: 'AWS::EC2::VPCEndpoint', S3GatewayEndpoint: 'AWS::EC2::VPCEndpoint' });
    expect(types).not.toHaveProperty('NatGateway1');
  });

  it('runs in an existing VPC without creating one', async () => {
    const ec2 = new EC2Client(motoClientConfig(moto));
    const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }] }))).Subnets!.map((x) => x.SubnetId!);
    const { stack, types } = await createWith('prefect-server-existing', { VpcId: vpc, PrivateSubnetIds: subnets.slice(0, 2).join(',') });
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(types).not.toHaveProperty('Vpc');
    expect(types.Database).toBe('AWS::RDS::DBInstance');
  });

  it('creates the high-availability server (ServerReplicas=2): API and background-services services, and exactly what moto ignores is missing', async () => {
    const values = { ServerReplicas: '2' };
    const { stack, types } = await createWith('prefect-server-ha', values);
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    expect(types).toMatchObject({
      ServerService: 'AWS::ECS::Service',
      BackgroundServicesService: 'AWS::ECS::Service',
      ServerApiTaskDefinition: 'AWS::ECS::TaskDefinition',
      BackgroundServicesTaskDefinition: 'AWS::ECS::TaskDefinition',
      CacheSecurityGroup: 'AWS::EC2::SecurityGroup',
      CacheIngressFromServer: 'AWS::EC2::SecurityGroupIngress',
    });
    expect(types).not.toHaveProperty('ServerTaskDefinition');
    // Of what ServerReplicas=2 adds, moto lists everything but the types it ignores.
    const under = (v: Record<string, string>) => resolveUnder(asCfn(expandedTemplate), { EcrRepositoryName: 'flows/prefect-server-ha', ManifestParameterName: '/prefect/manifest', ...v }).Resources;
    const single = under({});
    const added = Object.entries(under(values)).filter(([id]) => !(id in single));
    const ignored = new Set(MOTO_IGNORED_TYPES.map((t) => t.type));
    expect(added.filter(([id, r]) => !(id in types) && !ignored.has(r.Type)).map(([id]) => id)).toEqual([]);
    expect(added.filter(([id]) => !(id in types)).map(([id, r]) => `${id} ${r.Type}`).sort()).toEqual([
      'BackgroundServicesAlarm AWS::CloudWatch::Alarm',
      'Cache AWS::ElastiCache::ReplicationGroup',
      'CacheAuthSecret AWS::SecretsManager::Secret',
      'CacheSubnetGroup AWS::ElastiCache::SubnetGroup',
      'ServerApiScalingPolicy AWS::ApplicationAutoScaling::ScalingPolicy',
    ]);
    const ecs = new ECSClient(motoClientConfig(moto));
    const physical = async (id: string) =>
      (await cloudformation.send(new ListStackResourcesCommand({ StackName: 'prefect-server-ha' }))).StackResourceSummaries!.find((r) => r.LogicalResourceId === id)!.PhysicalResourceId!;
    const cluster = await physical('Cluster');
    const described = await ecs.send(new DescribeServicesCommand({ cluster, services: [await physical('ServerService'), await physical('BackgroundServicesService')] }));
    const [api, background] = described.services!;
    expect(background!.desiredCount).toBe(1);
    const apiTask = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: api!.taskDefinition! }))).taskDefinition!;
    expect(apiTask.containerDefinitions![0]!.command).toContain('--no-services');
    const backgroundTask = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: background!.taskDefinition! }))).taskDefinition!;
    expect(backgroundTask.containerDefinitions!.map((c) => [c.name, c.essential, c.command!.slice(-2)])).toEqual([
      ['prefect-migrate', false, ['prefect-migrate', REVISION_CHECK]],
      ['prefect-services', true, ['services', 'start']],
    ]);
    expect(backgroundTask.containerDefinitions![1]!.dependsOn).toEqual([{ containerName: 'prefect-migrate', condition: 'SUCCESS' }]);
    expect(apiTask.containerDefinitions![0]!.environment).toContainEqual({ name: 'PREFECT_REDIS_MESSAGING_HOST', value: MOTO_MISSING_ATTRIBUTES['PrimaryEndPoint.Address'] });
    // Without DesiredCount moto starts the API service at 0 tasks where CloudFormation starts 1
    // ("if a desired count is not specified, a default value of 1 is used"), and it has no
    // Application Auto Scaling to raise it to ServerReplicas: the count is not moto's to check.
    expect(api!.serviceName).toContain('ServerService');
  });
});
