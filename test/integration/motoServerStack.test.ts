/**
 * The SAM-expanded self-hosted stack is created in moto_server (the RDS port is set explicitly)
 * and reaches CREATE_COMPLETE with the server, database, load balancer and worker resources.
 */
import { CloudFormationClient, CreateStackCommand, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import fs from 'node:fs';
import path from 'node:path';
import { samExpand } from '../../scripts/lib/validation/samExpand';
import { buildServerStack } from '../../templates/stacks/server';
import { uploadLambdaCode } from '../support/lambdaCode';
import { withoutMotoGaps } from '../support/motoGaps';
import { motoClientConfig, startMotoServer, type MotoServer } from '../support/motoServer';
import { waitForStack } from '../support/stacks';
import { writeTemplateFiles } from '../support/template';

let moto: MotoServer;
let cloudformation: CloudFormationClient;
let body: string;
let removed: string[];

beforeAll(async () => {
  moto = await startMotoServer();
  cloudformation = new CloudFormationClient({ ...motoClientConfig(moto), maxAttempts: 1 });
  await uploadLambdaCode(moto);
  const files = writeTemplateFiles('server', buildServerStack());
  const expanded = path.join(files.dir, 'expanded.json');
  samExpand(files.json, expanded);
  const compatible = withoutMotoGaps(JSON.parse(fs.readFileSync(expanded, 'utf8')));
  removed = compatible.removed;
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
});
