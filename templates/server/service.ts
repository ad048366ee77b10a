/**
 * A self-hosted Prefect 3 server: one ECS Fargate task behind the load balancer, and a
 * generated auth string shared with the workers and Lambdas. One combined task runs the API and
 * the background services exactly once (a deployment stops the old task before it starts the
 * new one); several API tasks would need Redis, not offered. The database password never
 * appears in the template or an environment variable: ECS injects it from the RDS secret.
 */
import { ECS, IAM, SecretsManager } from 'cloudform';
import { getAtt, keepOnDeleteAndReplace, ref, sub, type Value } from '../core/cfn';
import { Param, Res } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import { clusterNameValue, fargateSize } from '../worker/ecs';
import { allow, ecsTasksTrustPolicy, policy, pullImages, writeLogs } from '../worker/iam';
import { retainedLogGroup } from '../worker/logs';
import { DATABASE_NAME, DATABASE_USER, SERVER_CONTAINER, SERVER_PORT } from './constants';
import { databaseSecretArn } from './database';
import { serverApiUrl } from './loadBalancer';
import { privateSubnetsValue } from './vpc';

function serverContainer() {
  const env: Record<string, Value<string>> = {
    PREFECT_SERVER_API_HOST: '0.0.0.0',
    PREFECT_SERVER_API_PORT: String(SERVER_PORT),
    PREFECT_UI_API_URL: serverApiUrl(),
    PREFECT_SERVER_DATABASE_DRIVER: 'postgresql+asyncpg',
    PREFECT_SERVER_DATABASE_HOST: getAtt(Res.Database, 'Endpoint.Address'),
    PREFECT_SERVER_DATABASE_PORT: getAtt(Res.Database, 'Endpoint.Port'),
    PREFECT_SERVER_DATABASE_NAME: DATABASE_NAME,
    PREFECT_SERVER_DATABASE_USER: DATABASE_USER,
    PREFECT_SERVER_DATABASE_MIGRATE_ON_START: 'true',
    // RDS PostgreSQL requires TLS; asyncpg takes the mode from PGSSLMODE.
    PGSSLMODE: 'require',
    PREFECT_SERVER_ANALYTICS_ENABLED: 'false',
    HOME: '/tmp',
    PREFECT_HOME: '/tmp/prefect',
  };
  return {
    Name: SERVER_CONTAINER,
    Image: ref(Param.ServerImage),
    Essential: true,
    Command: ['prefect', 'server', 'start', '--host', '0.0.0.0', '--port', String(SERVER_PORT)],
    PortMappings: [{ ContainerPort: SERVER_PORT, Protocol: 'tcp' }],
    Environment: Object.entries(env).map(([Name, Value]) => ({ Name, Value })),
    Secrets: [
      { Name: 'PREFECT_SERVER_DATABASE_PASSWORD', ValueFrom: sub('${Secret}:password::', { Secret: databaseSecretArn() }) },
      { Name: 'PREFECT_SERVER_API_AUTH_STRING', ValueFrom: ref(Res.ServerAuthSecret) },
    ],
    Memory: fargateSize(Param.ServerSize).memory,
    ReadonlyRootFilesystem: true,
    MountPoints: [{ SourceVolume: 'scratch', ContainerPath: '/tmp', ReadOnly: false }],
    HealthCheck: {
      Command: ['CMD-SHELL', `python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${SERVER_PORT}/api/health', timeout=5)"`],
      Interval: 30,
      Timeout: 10,
      Retries: 3,
      StartPeriod: 120,
    },
    LogConfiguration: {
      LogDriver: 'awslogs',
      Options: { 'awslogs-group': ref(Res.ServerLogGroup), 'awslogs-region': ref('AWS::Region'), 'awslogs-stream-prefix': 'server' },
    },
  };
}

export function buildServerService(): TemplateFragment {
  return {
    Resources: {
      // Deleted with the stack: only this stack's server accepts it (the database does not hold it).
      [Res.ServerAuthSecret]: keepOnDeleteAndReplace(
        new SecretsManager.Secret({
          Description: sub('PREFECT_SERVER_API_AUTH_STRING of ${AWS::StackName}, shared with its workers and Lambdas'),
          GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
        }),
        'Delete',
      ),
      [Res.ServerLogGroup]: retainedLogGroup(),
      [Res.ServerExecutionRole]: new IAM.Role({
        Description: sub('Pulls the Prefect server image, writes its logs, reads its two secrets (${AWS::StackName})'),
        AssumeRolePolicyDocument: ecsTasksTrustPolicy(),
        Policies: [
          policy('server-execution', [
            writeLogs(Res.ServerLogGroup),
            ...pullImages(),
            allow('ReadServerSecrets', ['secretsmanager:GetSecretValue'], [databaseSecretArn(), ref(Res.ServerAuthSecret)]),
          ]),
        ],
      }),
      // The server calls no AWS API; its task role grants nothing.
      [Res.ServerTaskRole]: new IAM.Role({
        Description: sub('Identity of the Prefect server task: no permissions (${AWS::StackName})'),
        AssumeRolePolicyDocument: ecsTasksTrustPolicy(),
      }),
      [Res.ServerTaskDefinition]: new ECS.TaskDefinition({
        RequiresCompatibilities: ['FARGATE'],
        NetworkMode: 'awsvpc',
        Cpu: fargateSize(Param.ServerSize).cpu,
        Memory: fargateSize(Param.ServerSize).memory,
        RuntimePlatform: { OperatingSystemFamily: 'LINUX', CpuArchitecture: 'X86_64' },
        ExecutionRoleArn: getAtt(Res.ServerExecutionRole, 'Arn'),
        TaskRoleArn: getAtt(Res.ServerTaskRole, 'Arn'),
        Volumes: [{ Name: 'scratch' }],
        ContainerDefinitions: [serverContainer()],
      }),
      [Res.ServerService]: new ECS.Service({
        Cluster: clusterNameValue(),
        TaskDefinition: ref(Res.ServerTaskDefinition),
        LaunchType: 'FARGATE',
        PlatformVersion: 'LATEST',
        DesiredCount: 1,
        // Exactly one task at any time: the background services must not run twice.
        DeploymentConfiguration: { MaximumPercent: 100, MinimumHealthyPercent: 0, DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
        HealthCheckGracePeriodSeconds: 180,
        LoadBalancers: [{ ContainerName: SERVER_CONTAINER, ContainerPort: SERVER_PORT, TargetGroupArn: ref(Res.ServerTargetGroup) }],
        NetworkConfiguration: {
          AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', SecurityGroups: [ref(Res.ServerSecurityGroup)], Subnets: privateSubnetsValue() },
        },
        PropagateTags: 'SERVICE',
      }).dependsOn(Res.LoadBalancerListenersReady),
    },
  };
}
