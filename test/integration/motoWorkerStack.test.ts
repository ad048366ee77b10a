/**
 * The SAM-expanded worker template is created as a real stack in moto_server and reaches
 * CREATE_COMPLETE with the expected resources. Both credential modes are exercised.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  ListStackResourcesCommand,
  UpdateStackCommand,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import { DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CreateClusterCommand, DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import fs from 'node:fs';
import path from 'node:path';
import { samExpand } from '../../scripts/lib/validation/samExpand';
import { manifestFromParameter } from '../../lambdas/registrar/manifestSource';
import { buildWorkerStack } from '../../templates/stacks/worker';
import { uploadLambdaCode } from '../support/lambdaCode';
import { withoutMotoGaps } from '../support/motoGaps';
import { motoClientConfig, startMotoServer, type MotoServer } from '../support/motoServer';
import { waitForStack as waitForCreatedStack } from '../support/stacks';
import { writeTemplateFiles } from '../support/template';

let moto: MotoServer;
let cloudformation: CloudFormationClient;
let expandedBody: string;
let network: { vpc: string; subnets: string[] };

beforeAll(async () => {
  moto = await startMotoServer();
  cloudformation = new CloudFormationClient({ ...motoClientConfig(moto), maxAttempts: 1 });
  await uploadLambdaCode(moto);
  const ec2 = new EC2Client(motoClientConfig(moto));
  const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!.VpcId!;
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }] }))).Subnets!;
  network = { vpc, subnets: subnets.slice(0, 2).map((s) => s.SubnetId!) };
  const files = writeTemplateFiles('worker', buildWorkerStack());
  const expanded = path.join(files.dir, 'worker.expanded.json');
  samExpand(files.json, expanded);
  const compatible = withoutMotoGaps(JSON.parse(fs.readFileSync(expanded, 'utf8')));
  expect(compatible.removed).toEqual(['ScalerFunctionUrl', 'WorkPool', 'Outputs.WorkPoolName', 'Outputs.ScalerWebhookUrl']);
  expandedBody = JSON.stringify(compatible.template);
});

afterAll(async () => {
  await moto?.stop();
});

const parameters = (values: Record<string, string>): Parameter[] =>
  Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));

async function createAndWait(stackName: string, values: Record<string, string>) {
  await cloudformation.send(
    new CreateStackCommand({ StackName: stackName, TemplateBody: expandedBody, Parameters: parameters(values), Capabilities: ['CAPABILITY_IAM'] }),
  );
  return waitForStack(stackName);
}

const waitForStack = (stackName: string) => waitForCreatedStack(cloudformation, stackName);

async function resourceTypes(stackName: string): Promise<Record<string, string>> {
  const listed = await cloudformation.send(new ListStackResourcesCommand({ StackName: stackName }));
  return Object.fromEntries(listed.StackResourceSummaries!.map((r) => [r.LogicalResourceId!, r.ResourceType!]));
}

describe('worker stack in moto_server', () => {
  it('reaches CREATE_COMPLETE with a new cluster and a secret created from an API key', async () => {
    const stack = await createAndWait('prefect-workers-cloud', {
      PrefectApiUrl: 'https://api.prefect.cloud/api/accounts/0ff44498-d380-4d7b-bd68-9b52da03823f/workspaces/c1a2b3c4-d5e6-47f8-9a0b-1c2d3e4f5a6b',
      PrefectAuthMode: 'api-key',
      PrefectAuthValue: 'pnu_not_a_real_key',
      EnableScalerWebhook: 'true',
      EcrRepositoryName: 'flows/etl-cloud',
      ManifestParameterName: '/prefect/manifest',
      VpcId: network.vpc,
      SubnetIds: network.subnets.join(','),
    });
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const types = await resourceTypes('prefect-workers-cloud');
    expect(types).toEqual(
      expect.objectContaining({
        Cluster: 'AWS::ECS::Cluster',
        WorkerService: 'AWS::ECS::Service',
        WorkerTaskDefinition: 'AWS::ECS::TaskDefinition',
        WorkerTaskRole: 'AWS::IAM::Role',
        WorkerExecutionRole: 'AWS::IAM::Role',
        FlowRunExecutionRole: 'AWS::IAM::Role',
        FlowRunTaskRole: 'AWS::IAM::Role',
        EcsObserverQueue: 'AWS::SQS::Queue',
        EcsObserverDeadLetterQueue: 'AWS::SQS::Queue',
        EcsTaskStateChangeRule: 'AWS::Events::Rule',
        WorkerLogGroup: 'AWS::Logs::LogGroup',
        FlowRunLogGroup: 'AWS::Logs::LogGroup',
        WorkerSecurityGroup: 'AWS::EC2::SecurityGroup',
        ScalerFunction: 'AWS::Lambda::Function',
        ScalerRole: 'AWS::IAM::Role',
        ScalerScheduleRule: 'AWS::Events::Rule',
        ScalerTaskStateRule: 'AWS::Events::Rule',
        ScalerTriggers: 'AWS::SQS::Queue',
        ScalerTriggersDlq: 'AWS::SQS::Queue',
        ScalerTriggerMapping: 'AWS::Lambda::EventSourceMapping',
        ScalerWebhookFunction: 'AWS::Lambda::Function',
        LambdaDeadLetterQueue: 'AWS::SQS::Queue',
        AlarmTopic: 'AWS::SNS::Topic',
        ScalingDashboard: 'AWS::CloudWatch::Dashboard',
        RegistrarFunction: 'AWS::Lambda::Function',
        RegistrarImagePushRule: 'AWS::Events::Rule',
        EcrRepository: 'AWS::ECR::Repository',
      }),
    );
    const outputs = Object.fromEntries(stack.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs.WorkerServiceName).toBeTruthy();
    expect(JSON.stringify(stack.Outputs)).not.toContain('pnu_not_a_real_key');
  });

  it('reaches CREATE_COMPLETE with an existing cluster name, an existing secret ARN and an auth string', async () => {
    await new ECSClient(motoClientConfig(moto)).send(new CreateClusterCommand({ clusterName: 'shared-cluster' }));
    const stack = await createAndWait('prefect-workers-selfhosted', {
      PrefectApiUrl: 'http://prefect.internal:4200/api',
      PrefectAuthMode: 'auth-string',
      PrefectAuthSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prefect-auth-AbCdEf',
      ExistingClusterName: 'shared-cluster',
      VpcId: network.vpc,
      SubnetIds: network.subnets.join(','),
      UseFargateSpot: 'true',
      WatchedRepositories: 'flows/etl,flows/reports',
      EcrRepositoryName: 'flows/etl-selfhosted',
      ManifestParameterName: '/prefect/manifest',
    });
    expect(stack.StackStatus).toBe('CREATE_COMPLETE');
    const types = await resourceTypes('prefect-workers-selfhosted');
    expect(types).not.toHaveProperty('Cluster');
    expect(types).not.toHaveProperty('PrefectAuthSecret');
    expect(types.WorkerService).toBe('AWS::ECS::Service');
  });

  it('keeps the desired count the scaler set when the stack is updated', async () => {
    const values = {
      PrefectApiUrl: 'http://prefect.internal:4200/api',
      PrefectAuthMode: 'none',
      EcrRepositoryName: 'flows/etl-update',
      ManifestParameterName: '/prefect/manifest',
      VpcId: network.vpc,
      SubnetIds: network.subnets.join(','),
    };
    const created = await createAndWait('prefect-workers-update', values);
    const outputs = Object.fromEntries(created.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    const ecs = new ECSClient(motoClientConfig(moto));
    await ecs.send(new UpdateServiceCommand({ cluster: outputs.ClusterName, service: outputs.WorkerServiceName, desiredCount: 3 }));

    await cloudformation.send(
      new UpdateStackCommand({
        StackName: 'prefect-workers-update',
        TemplateBody: expandedBody,
        Parameters: parameters({ ...values, LogRetentionDays: '90', MaxWorkers: '5' }),
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    expect((await waitForStack('prefect-workers-update')).StackStatus).toBe('UPDATE_COMPLETE');

    const service = (await ecs.send(new DescribeServicesCommand({ cluster: outputs.ClusterName, services: [outputs.WorkerServiceName!] }))).services![0]!;
    expect(service.desiredCount).toBe(3);
  });

  it('stores a synth-time manifest in SSM as the JSON form the registrar reads, watches its repositories and its edits', async () => {
    const manifest = { file: 'test/fixtures/manifests/prefect.yaml', text: fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8') };
    const files = writeTemplateFiles('worker-manifest', buildWorkerStack({ manifest }));
    const expanded = path.join(files.dir, 'expanded.json');
    samExpand(files.json, expanded);
    const body = JSON.stringify(withoutMotoGaps(JSON.parse(fs.readFileSync(expanded, 'utf8'))).template);
    await cloudformation.send(
      new CreateStackCommand({
        StackName: 'prefect-workers-manifest',
        TemplateBody: body,
        Capabilities: ['CAPABILITY_IAM'],
        // moto evaluates outputs whose condition is false, so the optional repository is created here too.
        Parameters: parameters({ PrefectApiUrl: 'http://prefect.internal:4200/api', PrefectAuthMode: 'none', VpcId: network.vpc, SubnetIds: network.subnets.join(','), EcrRepositoryName: 'flows/extra' }),
      }),
    );
    expect((await waitForStack('prefect-workers-manifest')).StackStatus).toBe('CREATE_COMPLETE');
    const types = await resourceTypes('prefect-workers-manifest');
    const stored = await new SSMClient(motoClientConfig(moto)).send(new GetParameterCommand({ Name: '/prefect-ecs-stack/prefect-workers-manifest/manifest' }));
    const read = manifestFromParameter(stored.Parameter!.Value!, 'ssm', { workPool: 'ecs-pool' });
    expect(read.deployments.map((d) => d.name)).toEqual(['etl-daily', 'etl-backfill', 'report']);
    expect(types).toMatchObject({
      RegistrarManifest: 'AWS::SSM::Parameter',
      RegistrarFunction: 'AWS::Lambda::Function',
      RegistrarImagePushRule: 'AWS::Events::Rule',
      RegistrarManifestChangeRule: 'AWS::Events::Rule',
      EcrRepository: 'AWS::ECR::Repository',
    });
  });
});
