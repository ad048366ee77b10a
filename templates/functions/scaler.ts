/**
 * The scaler Lambda: fed in batches by its FIFO trigger queue (scalerTriggers.ts), one batch at a
 * time; it reads the work pool's demand from Prefect, sets the worker service's desired count and
 * recovers flow runs stuck in PENDING. Its webhook is a function of its own (scalerWebhook.ts).
 */
import { SCALER_METRICS_NAMESPACE, ScalerEnv } from '../../lambdas/scaler/env';
import { getAtt, ref, sub } from '../core/cfn';
import { Param, Res } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import type { WorkerContext } from '../worker/context';
import { clusterArnValue, clusterNameValue } from '../worker/ecs';
import { allow, readPrefectSecret } from '../worker/iam';
import { prefectEnvironment, stackFunction, type EnvironmentOf } from './lambda';
import { SCALER_TIMEOUT_SECONDS } from '../../lambdas/scaler/budget';
import { buildScalerTriggers } from './scalerTriggers';
import { buildScalerWebhook } from './scalerWebhook';

export const workerServiceArn = () =>
  sub('arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/${ClusterName}/${ServiceName}', {
    ClusterName: clusterNameValue(),
    ServiceName: getAtt(Res.WorkerService, 'Name'),
  });

/** ARNs of this cluster's tasks. */
const clusterTasks = () => sub('arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/${ClusterName}/*', { ClusterName: clusterNameValue() });

function scalerEnvironment(ctx: WorkerContext): EnvironmentOf<typeof ScalerEnv> {
  return {
    ...prefectEnvironment(ctx.connection),
    [ScalerEnv.WorkPool]: ref(Param.WorkPoolName),
    [ScalerEnv.WorkQueues]: ref(Param.WorkQueues),
    [ScalerEnv.Cluster]: clusterNameValue(),
    [ScalerEnv.Service]: getAtt(Res.WorkerService, 'Name'),
    [ScalerEnv.MinWorkers]: ref(Param.MinWorkers),
    [ScalerEnv.MaxWorkers]: ref(Param.MaxWorkers),
    [ScalerEnv.SubmissionsPerWorker]: ref(Param.SubmissionsPerWorker),
    [ScalerEnv.LookaheadSeconds]: ref(Param.LookaheadSeconds),
    [ScalerEnv.IdleGraceSeconds]: ref(Param.IdleGraceSeconds),
    [ScalerEnv.StuckPendingSeconds]: ref(Param.StuckPendingSeconds),
    [ScalerEnv.StuckPendingAction]: ref(Param.StuckPendingAction),
    [ScalerEnv.MetricsNamespace]: SCALER_METRICS_NAMESPACE,
    [ScalerEnv.StackName]: ref('AWS::StackName'),
  };
}

export function buildScaler(ctx: WorkerContext): TemplateFragment {
  const clusterCondition = { ArnEquals: { 'ecs:cluster': clusterArnValue() } };
  const triggers = buildScalerTriggers(ctx);
  return {
    Resources: {
      ...stackFunction({
        logGroup: Res.ScalerLogGroup,
        role: Res.ScalerRole,
        fn: Res.ScalerFunction,
        codeUri: 'lambdas/scaler',
        roleDescription: sub('Lets the scaler read Prefect demand and set the worker count (${AWS::StackName})'),
        description: sub('Sets the Prefect worker count of ${AWS::StackName} from work pool demand'),
        statements: [
          allow('ReadAndScaleWorkerService', ['ecs:DescribeServices', 'ecs:UpdateService'], workerServiceArn()),
          // ListTasks without a container instance is authorized on "*" (templates/worker/iamUnscopedActions.ts);
          // both take ecs:cluster (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html).
          allow('ListClusterTasks', ['ecs:ListTasks'], '*', clusterCondition),
          allow('ReadClusterTasks', ['ecs:DescribeTasks'], clusterTasks(), clusterCondition),
          allow(
            'ConsumeTriggers',
            ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage'],
            getAtt(Res.ScalerTriggerQueue, 'Arn'),
          ),
          readPrefectSecret(ctx.connection),
        ],
        environment: scalerEnvironment(ctx),
        timeoutSeconds: SCALER_TIMEOUT_SECONDS,
        // Only its trigger queue invokes it; this covers a direct asynchronous invoke.
        asyncRetry: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 300 },
        vpc: ctx.lambdaVpc,
      }),
      ...triggers.Resources,
      ...buildScalerWebhook().Resources,
    },
  };
}
