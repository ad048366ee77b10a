/**
 * The Prefect server's ECS service behind the load balancer, and what its tasks run as: a
 * generated auth string shared with the workers and Lambdas, the log group, the roles.
 *
 * ServerService serves the API in both modes (containers.ts):
 * - one task (ServerReplicas=1): API, UI and background services in one process, so a
 *   deployment stops the old task before it starts the new one (the background services must
 *   not run twice on Prefect's in-memory broker);
 * - high availability (highAvailability.ts): API-only tasks that autoscale from ServerReplicas
 *   to ServerMaxReplicas, rolled without downtime (a new task must pass the health check before
 *   an old one stops), after the background-services service has migrated the database.
 * The database password never appears in the template or an environment variable: ECS injects
 * it from the RDS secret.
 */
import { ECS, IAM, SecretsManager } from 'cloudform';
import { getAtt, iff, keepOnDeleteAndReplace, noValue, ref, sub } from '../core/cfn';
import { Cond, Param, Res } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import { clusterNameValue, fargateSize } from '../worker/ecs';
import { allow, ecsTasksTrustPolicy, policy, pullImages, writeLogs } from '../worker/iam';
import { retainedLogGroup } from '../worker/logs';
import { SERVER_CONTAINER, SERVER_PORT } from './constants';
import { apiContainer, singleServerContainer } from './containers';
import { databaseSecretArn } from './database';
import { privateSubnetsValue } from './vpc';

/** A Fargate task definition of the server: one size parameter, the scratch volume, the server's roles. */
export function serverTaskDefinition(containers: NonNullable<ConstructorParameters<typeof ECS.TaskDefinition>[0]>['ContainerDefinitions']) {
  return new ECS.TaskDefinition({
    RequiresCompatibilities: ['FARGATE'],
    NetworkMode: 'awsvpc',
    Cpu: fargateSize(Param.ServerSize).cpu,
    Memory: fargateSize(Param.ServerSize).memory,
    RuntimePlatform: { OperatingSystemFamily: 'LINUX', CpuArchitecture: 'X86_64' },
    ExecutionRoleArn: getAtt(Res.ServerExecutionRole, 'Arn'),
    TaskRoleArn: getAtt(Res.ServerTaskRole, 'Arn'),
    Volumes: [{ Name: 'scratch' }],
    ContainerDefinitions: containers,
  });
}

/** Private subnets of both zones: "By default, Fargate tasks are spread across Availability Zones" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement.html). */
export const serverTaskNetwork = () => ({
  AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', SecurityGroups: [ref(Res.ServerSecurityGroup)], Subnets: privateSubnetsValue() },
});

/**
 * Rolling without downtime: the scheduler starts new tasks (up to 200%) and stops an old one only
 * while 100% stay healthy, and "for services that do use a load balancer ... the service scheduler
 * will wait for the load balancer target group health check to return a healthy status"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-ecs-service-deploymentconfiguration.html).
 */
export const ROLLING = { MaximumPercent: 200, MinimumHealthyPercent: 100, DeploymentCircuitBreaker: { Enable: true, Rollback: true } };
/** Exactly one task at any time: stop the old task before starting the new one. */
const STOP_BEFORE_START = { MaximumPercent: 100, MinimumHealthyPercent: 0, DeploymentCircuitBreaker: { Enable: true, Rollback: true } };

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
        Description: sub('Pulls the Prefect server image, writes its logs, reads its secrets (${AWS::StackName})'),
        AssumeRolePolicyDocument: ecsTasksTrustPolicy(),
        Policies: [
          policy('server-execution', [
            writeLogs(Res.ServerLogGroup),
            ...pullImages(),
            allow('ReadServerSecrets', ['secretsmanager:GetSecretValue'], [
              databaseSecretArn(),
              ref(Res.ServerAuthSecret),
              iff(Cond.HighAvailability, ref(Res.CacheAuthSecret), noValue()),
            ]),
          ]),
        ],
      }),
      // The server calls no AWS API; its task role grants nothing.
      [Res.ServerTaskRole]: new IAM.Role({
        Description: sub('Identity of the Prefect server task: no permissions (${AWS::StackName})'),
        AssumeRolePolicyDocument: ecsTasksTrustPolicy(),
      }),
      [Res.ServerTaskDefinition]: serverTaskDefinition([singleServerContainer()]).condition(Cond.SingleServer),
      [Res.ServerApiTaskDefinition]: serverTaskDefinition([apiContainer()]).condition(Cond.HighAvailability),
      [Res.ServerService]: new ECS.Service({
        Cluster: clusterNameValue(),
        TaskDefinition: iff(Cond.HighAvailability, ref(Res.ServerApiTaskDefinition), ref(Res.ServerTaskDefinition)),
        LaunchType: 'FARGATE',
        PlatformVersion: 'LATEST',
        // In HA mode Application Auto Scaling owns the count: without DesiredCount, CloudFormation
        // starts the service with one task and "for existing services ... it is omitted from the
        // operation" on every update
        // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html#cfn-ecs-service-desiredcount).
        DesiredCount: iff(Cond.HighAvailability, noValue(), 1),
        DeploymentConfiguration: iff(Cond.HighAvailability, ROLLING, STOP_BEFORE_START) as never,
        HealthCheckGracePeriodSeconds: 180,
        LoadBalancers: [{ ContainerName: SERVER_CONTAINER, ContainerPort: SERVER_PORT, TargetGroupArn: ref(Res.ServerTargetGroup) }],
        NetworkConfiguration: serverTaskNetwork(),
        PropagateTags: 'SERVICE',
        // In HA mode the API service waits for the background-services service, whose task
        // migrates the database, on create and on every update: the reference orders them (a
        // DependsOn could not name a resource that exists only under a Condition). The tag says
        // who migrates.
        Tags: iff(Cond.HighAvailability, [{ Key: 'prefect-ecs-stack:migrated-by', Value: getAtt(Res.BackgroundServicesService, 'Name') }], noValue()) as never,
        // Explicit in both modes: ECS enables rebalancing on new services where it can, keeps the
        // current setting on updates, and cannot rebalance a service with MaximumPercent 100
        // (aws-cdk-lib 2.276 aws-ecs/README.md "Availability Zone rebalancing", from
        // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html),
        // so a move from HA back to one task must switch it off.
        ...({ AvailabilityZoneRebalancing: iff(Cond.HighAvailability, 'ENABLED', 'DISABLED') } as object),
      }).dependsOn(Res.LoadBalancerListenersReady),
    },
  };
}
