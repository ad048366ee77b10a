/**
 * Defect 6 of issue 9: in NetworkMode vpc-endpoints nothing inside the VPC reaches the internet,
 * so every AWS API that the worker, flow runs, the server and the Lambdas call must have an
 * endpoint. The facts below say who calls what, with the source of each; two further checks
 * derive the same from the code (the SDK clients the Lambdas import) and from the IAM
 * permissions of every in-VPC role, so a new call cannot slip past the list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildServerStack } from '../../templates/stacks/server';
import { iamStatements } from '../policy/statements';
import { actionsOf } from '../policy/types';
import { asCfn, resourcesOfType, type Json } from '../support/template';

const PREFECT_AWS = 'prefect-aws-0.7.7:src/integrations/prefect-aws/prefect_aws';
const ECS_VPC_ENDPOINTS = 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html';
const ECR_VPC_ENDPOINTS = 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html';

/** Who calls which AWS API from inside the VPC (endpoint service names), and where that is said. */
const CALLS: readonly { caller: string; service: string; what: string; source: string }[] = [
  { caller: 'ECS worker', service: 'ecs', what: 'RegisterTaskDefinition, RunTask, DescribeTasks, StopTask', source: `${PREFECT_AWS}/workers/ecs_worker.py:1721` },
  { caller: 'ECS worker', service: 'ec2', what: 'DescribeVpcs, DescribeSubnets for every flow run', source: `${PREFECT_AWS}/workers/ecs_worker.py:1300-1330,1349-1362` },
  { caller: 'ECS worker (task observer)', service: 'sqs', what: 'ReceiveMessage, DeleteMessage on the observer queue', source: `${PREFECT_AWS}/observers/ecs.py:203-204` },
  { caller: 'ECS worker (task observer)', service: 'ecs', what: 'DescribeTaskDefinition', source: `${PREFECT_AWS}/observers/ecs.py:485-490` },
  { caller: 'ECS worker (task observer)', service: 'logs', what: 'GetLogEvents of crashed flow runs', source: `${PREFECT_AWS}/observers/ecs.py:540-541` },
  { caller: 'every Fargate task (worker, flow runs, server)', service: 'ecr.api', what: 'image pull', source: ECR_VPC_ENDPOINTS },
  { caller: 'every Fargate task', service: 'ecr.dkr', what: 'image pull', source: ECR_VPC_ENDPOINTS },
  { caller: 'every Fargate task', service: 's3', what: 'image layers (gateway endpoint)', source: ECR_VPC_ENDPOINTS },
  { caller: 'every Fargate task', service: 'logs', what: 'awslogs log driver', source: ECS_VPC_ENDPOINTS },
  { caller: 'every Fargate task', service: 'secretsmanager', what: 'container Secrets (credential, database password)', source: ECS_VPC_ENDPOINTS },
  { caller: 'scaler Lambda', service: 'ecs', what: 'DescribeServices, UpdateService', source: 'lambdas/scaler/service.ts' },
  { caller: 'scaler webhook Lambda', service: 'sqs', what: 'SendMessage to the scaler trigger queue', source: 'lambdas/scaler-webhook/handler.ts' },
  { caller: 'every Lambda', service: 'secretsmanager', what: 'GetSecretValue of the Prefect credential', source: 'lambdas/common/aws/secrets.ts' },
  { caller: 'registrar Lambda', service: 'ecr.api', what: 'DescribeImages', source: 'lambdas/registrar/registration/images.ts' },
  { caller: 'registrar Lambda', service: 'ssm', what: 'GetParameter of the manifest', source: 'lambdas/common/aws/jsonReaders.ts' },
];

/** The endpoint service of each SDK client the Lambdas may import. */
const SDK_CLIENT_SERVICE: Readonly<Record<string, string>> = {
  '@aws-sdk/client-ecs': 'ecs',
  '@aws-sdk/client-ecr': 'ecr.api',
  '@aws-sdk/client-secrets-manager': 'secretsmanager',
  '@aws-sdk/client-ssm': 'ssm',
  '@aws-sdk/client-sqs': 'sqs',
};

/**
 * The endpoint service of each IAM service prefix the in-VPC roles hold. iam:PassRole is
 * checked by ECS inside RunTask, not called; cloudwatch is reached only by the Lambda service.
 */
const IAM_PREFIX_SERVICE: Readonly<Record<string, string | null>> = {
  ecs: 'ecs',
  ec2: 'ec2',
  ecr: 'ecr.api',
  sqs: 'sqs',
  logs: 'logs',
  secretsmanager: 'secretsmanager',
  ssm: 'ssm',
  iam: null,
};

const template = buildServerStack() as unknown as Json;
const endpointServices = new Set(
  resourcesOfType(template, 'AWS::EC2::VPCEndpoint').map(([, r]) => /\.([a-z0-9.-]+)$/.exec(String(r.Properties.ServiceName['Fn::Sub']))![1]!),
);

function lambdaSourceFiles(dir = 'lambdas'): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? lambdaSourceFiles(file) : file.endsWith('.ts') ? [file] : [];
  });
}

describe('VPC endpoints of the server stack (NetworkMode vpc-endpoints, defect 6 of issue 9)', () => {
  it.each(CALLS)('$caller reaches $service ($what; $source)', ({ service }) => {
    expect([...endpointServices]).toContain(service);
  });

  it('has an endpoint for every AWS SDK client the Lambdas import and every service they sign calls to', () => {
    const sources = lambdaSourceFiles().map((file) => fs.readFileSync(file, 'utf8'));
    const imported = new Set(sources.flatMap((text) => [...text.matchAll(/from '(@aws-sdk\/client-[a-z0-9-]+)'/g)].map((m) => m[1]!)));
    for (const client of imported) {
      expect(Object.keys(SDK_CLIENT_SERVICE)).toContain(client);
      expect([...endpointServices]).toContain(SDK_CLIENT_SERVICE[client]);
    }
    // lambdas/common/aws/awsJson.ts: services called as signed AWS JSON requests to <host>.<region>.amazonaws.com.
    const hosts = new Set(sources.flatMap((text) => [...text.matchAll(/host: '([a-z0-9.-]+)'/g)].map((m) => m[1]!)));
    const services = [...hosts].map((host) => host.split('.').reverse().join('.'));
    expect(imported.size + services.length).toBeGreaterThanOrEqual(4);
    for (const service of services) expect([...endpointServices]).toContain(service);
  });

  it('has an endpoint for every AWS service the roles of the worker, flow runs, server and Lambdas may call', () => {
    const prefixes = new Set(iamStatements(asCfn(template)).flatMap((s) => actionsOf(s.statement).map((action) => action.split(':')[0]!)));
    expect(prefixes).toContain('ec2');
    for (const prefix of prefixes) {
      expect(Object.keys(IAM_PREFIX_SERVICE)).toContain(prefix);
      const service = IAM_PREFIX_SERVICE[prefix];
      if (service) expect([...endpointServices]).toContain(service);
    }
  });

  it('creates every endpoint only in vpc-endpoints mode, reachable on 443 from the VPC', () => {
    for (const [, endpoint] of resourcesOfType(template, 'AWS::EC2::VPCEndpoint')) expect(endpoint.Condition).toBe('UseVpcEndpoints');
    expect(template.Resources.VpcEndpointSecurityGroup.Properties.SecurityGroupIngress).toEqual([
      expect.objectContaining({ FromPort: 443, ToPort: 443, CidrIp: { Ref: 'VpcCidr' } }),
    ]);
  });
});
