/**
 * The ECS cluster (unless the user names one) and the Prefect worker: its task definition and
 * its service. The service has no DesiredCount: CloudFormation then starts it with one task on
 * create and keeps the current count on every update, because the scaler owns the count.
 */
import { ECS } from 'cloudform';
import { PrefectEnv } from '../../lambdas/common/env';
import { ECS_WORKER_NAME_PREFIX } from '../../lambdas/scaler/prefectWorker';
import { getAtt, iff, noValue, ref, select, split, sub, type Intrinsic, type Value } from '../core/cfn';
import type { TemplateFragment } from '../core/template';
import { WORKER_CONTAINER_NAME, WORKER_HEALTH_PORT } from '../core/constants';
import { Cond, Param, Res, type ParamId } from '../core/ids';
import { whenAuthenticated, type WorkerContext } from './context';

/** Name of the cluster the stack runs in, created or existing. */
export const clusterNameValue = (): Intrinsic => iff(Cond.CreateCluster, ref(Res.Cluster), ref(Param.ExistingClusterName));

/** ARN of that cluster. */
export const clusterArnValue = (): Intrinsic =>
  iff(
    Cond.CreateCluster,
    getAtt(Res.Cluster, 'Arn'),
    sub('arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/${ExistingClusterName}'),
  );

/** Reads the worker's own ECS task id from the task metadata endpoint (v4, Fargate platform 1.4.0+). */
const READ_TASK_ID =
  'python -c \'import json, os, urllib.request; print(json.load(urllib.request.urlopen(os.environ["ECS_CONTAINER_METADATA_URI_V4"] + "/task", timeout=5))["TaskARN"].rsplit("/", 1)[1])\'';

/**
 * The worker's command. Queue names arrive comma-separated in one variable and become repeated
 * `--work-queue` flags; values stay in environment variables so nothing is re-parsed by a shell.
 * The worker is named after its ECS task (`--name ecs-task-<task id>`, read from the task metadata
 * endpoint: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4-fargate.html),
 * so the scaler can tell from a run's `prefect.worker.name` label whether the worker submitting it
 * still lives (lambdas/scaler/stuck/classify.ts). Without the endpoint it keeps Prefect's own name.
 */
export const WORKER_START_SCRIPT = [
  'set -euf',
  'set -- prefect worker start --pool "$PREFECT_ECS_STACK_WORK_POOL" --type ecs --with-healthcheck --limit "$PREFECT_ECS_STACK_SUBMISSIONS_PER_WORKER"',
  `task_id=$(${READ_TASK_ID} 2>/dev/null) || task_id=''`,
  `if [ -n "$task_id" ]; then set -- "$@" --name "${ECS_WORKER_NAME_PREFIX}$task_id"; fi`,
  'IFS=,',
  'for queue in ${PREFECT_ECS_STACK_WORK_QUEUES:-}; do set -- "$@" --work-queue "$queue"; done',
  'unset IFS',
  'exec "$@"',
].join('\n');

const HEALTH_CHECK = `python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${WORKER_HEALTH_PORT}/health', timeout=5)"`;

/** The worker writes only below /tmp (PREFECT_HOME too), so its root filesystem is read-only. */
const SCRATCH_VOLUME = 'scratch';

function workerEnvironment(ctx: WorkerContext) {
  const env: Record<string, Value<string>> = {
    // Prefect's own setting, which the Lambdas read under the same name.
    [PrefectEnv.ApiUrl]: ctx.connection.apiUrl,
    PREFECT_ECS_STACK_WORK_POOL: ref(Param.WorkPoolName),
    PREFECT_ECS_STACK_WORK_QUEUES: ref(Param.WorkQueues),
    PREFECT_ECS_STACK_SUBMISSIONS_PER_WORKER: ref(Param.SubmissionsPerWorker),
    PREFECT_WORKER_WEBSERVER_HOST: '127.0.0.1',
    PREFECT_WORKER_WEBSERVER_PORT: String(WORKER_HEALTH_PORT),
    PREFECT_INTEGRATIONS_AWS_ECS_OBSERVER_ENABLED: 'true',
    PREFECT_INTEGRATIONS_AWS_ECS_OBSERVER_SQS_QUEUE_NAME: getAtt(Res.ObserverQueue, 'QueueName'),
    PREFECT_INTEGRATIONS_AWS_ECS_OBSERVER_SQS_QUEUE_REGION: ref('AWS::Region'),
    AWS_DEFAULT_REGION: ref('AWS::Region'),
    HOME: '/tmp',
    PREFECT_HOME: '/tmp/prefect',
  };
  return Object.entries(env).map(([Name, Value]) => ({ Name, Value }));
}

/**
 * Container memory repeats the task's (Fargate requires the task-level pair, which the task
 * definition sets): the same hard limit, for tools that read only container fields.
 */
function workerContainer(ctx: WorkerContext, memory: Intrinsic) {
  return {
    Name: WORKER_CONTAINER_NAME,
    Image: ref(Param.WorkerImage),
    Essential: true,
    EntryPoint: ['/bin/sh', '-c'],
    Command: [WORKER_START_SCRIPT],
    Environment: workerEnvironment(ctx),
    // ECS resolves the secret at task start; the value never appears in the task definition.
    Secrets: whenAuthenticated(ctx.connection, [{ Name: ctx.connection.credentialVariable, ValueFrom: ctx.connection.secretArn }]),
    Memory: memory,
    ReadonlyRootFilesystem: true,
    MountPoints: [{ SourceVolume: SCRATCH_VOLUME, ContainerPath: '/tmp', ReadOnly: false }],
    HealthCheck: { Command: ['CMD-SHELL', HEALTH_CHECK], Interval: 30, Timeout: 10, Retries: 3, StartPeriod: 60 },
    LogConfiguration: {
      LogDriver: 'awslogs',
      Options: {
        'awslogs-group': ref(Res.WorkerLogGroup),
        'awslogs-region': ref('AWS::Region'),
        'awslogs-stream-prefix': 'worker',
      },
    },
  };
}

export function buildCluster(): TemplateFragment {
  return {
    Resources: {
      [Res.Cluster]: new ECS.Cluster({
        CapacityProviders: ['FARGATE', 'FARGATE_SPOT'],
        DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
        ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
      }).condition(Cond.CreateCluster),
    },
  };
}

/** CPU units and MiB of a "cpu/memory" size parameter (one parameter offers only valid Fargate pairs). */
export const fargateSize = (param: ParamId) => ({ cpu: select(0, split('/', ref(param))), memory: select(1, split('/', ref(param))) });

export function buildWorker(ctx: WorkerContext): TemplateFragment {
  const { cpu, memory } = fargateSize(Param.WorkerSize);
  const scalingTag = (Key: string, param: ParamId) => ({ Key: `prefect-ecs-stack:${Key}`, Value: ref(param) });
  return {
    Resources: {
      [Res.WorkerTaskDefinition]: new ECS.TaskDefinition({
        RequiresCompatibilities: ['FARGATE'],
        NetworkMode: 'awsvpc',
        // Fargate requires both at task level, from one valid pair (test/policy/checks/fargateTaskSize.ts).
        Cpu: cpu,
        Memory: memory,
        RuntimePlatform: { OperatingSystemFamily: 'LINUX', CpuArchitecture: 'X86_64' },
        ExecutionRoleArn: getAtt(Res.WorkerExecutionRole, 'Arn'),
        TaskRoleArn: getAtt(Res.WorkerTaskRole, 'Arn'),
        Volumes: [{ Name: SCRATCH_VOLUME }],
        ContainerDefinitions: [workerContainer(ctx, memory)],
      }),
      // After the work pool: a worker that starts first would create the pool with Prefect's defaults.
      [Res.WorkerService]: new ECS.Service({
        Cluster: clusterNameValue(),
        TaskDefinition: ref(Res.WorkerTaskDefinition),
        LaunchType: iff(Cond.UseFargateSpot, noValue(), 'FARGATE'),
        CapacityProviderStrategy: iff(Cond.UseFargateSpot, [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }], noValue()),
        PlatformVersion: 'LATEST',
        DeploymentConfiguration: {
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          MaximumPercent: 200,
          MinimumHealthyPercent: 100,
        },
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            AssignPublicIp: ctx.network.assignPublicIp,
            SecurityGroups: [ref(Res.WorkerSecurityGroup)],
            Subnets: ctx.network.subnetIds,
          },
        },
        EnableECSManagedTags: true,
        PropagateTags: 'SERVICE',
        // The scaling settings travel with the service so the scaler and a person see them.
        Tags: [
          scalingTag('min-workers', Param.MinWorkers),
          scalingTag('max-workers', Param.MaxWorkers),
          scalingTag('submissions-per-worker', Param.SubmissionsPerWorker),
          scalingTag('lookahead-seconds', Param.LookaheadSeconds),
          scalingTag('idle-grace-seconds', Param.IdleGraceSeconds),
        ],
      }).dependsOn(Res.WorkPool),
    },
  };
}
