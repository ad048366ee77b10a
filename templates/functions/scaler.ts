/**
 * The scaler Lambda and its triggers: a 1-minute schedule, this cluster's flow-run task state
 * changes, and an optional webhook (function URL, token-authenticated). Reserved concurrency 1
 * serialises evaluations; failed async invocations and undeliverable events go to the shared
 * dead-letter queue.
 */
import { Lambda, SecretsManager } from 'cloudform';
import { SCALER_METRICS_NAMESPACE, ScalerEnv } from '../../lambdas/scaler/env';
import { getAtt, iff, noValue, ref, sub } from '../core/cfn';
import { Cond, Param, Res } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import type { WorkerContext } from '../worker/context';
import { clusterArnValue, clusterNameValue } from '../worker/ecs';
import { allow, readPrefectSecret } from '../worker/iam';
import { invokedBy, prefectEnvironment, ruleInvoking, stackFunction, type EnvironmentOf } from './lambda';

export const workerServiceArn = () =>
  sub('arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/${ClusterName}/${ServiceName}', {
    ClusterName: clusterNameValue(),
    ServiceName: getAtt(Res.WorkerService, 'Name'),
  });

function scalerEnvironment(ctx: WorkerContext): EnvironmentOf<typeof ScalerEnv> {
  return {
    ...prefectEnvironment(ctx.connection),
    [ScalerEnv.WorkPool]: ref(Param.WorkPoolName),
    [ScalerEnv.WorkQueues]: ref(Param.WorkQueues),
    [ScalerEnv.Cluster]: clusterNameValue(),
    [ScalerEnv.Service]: getAtt(Res.WorkerService, 'Name'),
    [ScalerEnv.MinWorkers]: ref(Param.MinWorkers),
    [ScalerEnv.MaxWorkers]: ref(Param.MaxWorkers),
    [ScalerEnv.RunsPerWorker]: ref(Param.RunsPerWorker),
    [ScalerEnv.LookaheadSeconds]: ref(Param.LookaheadSeconds),
    [ScalerEnv.IdleGraceSeconds]: ref(Param.IdleGraceSeconds),
    [ScalerEnv.WebhookTokenSecretArn]: iff(Cond.EnableWebhook, ref(Res.WebhookTokenSecret), ''),
    [ScalerEnv.MetricsNamespace]: SCALER_METRICS_NAMESPACE,
    [ScalerEnv.StackName]: ref('AWS::StackName'),
  };
}

export function buildScaler(ctx: WorkerContext): TemplateFragment {
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
          readPrefectSecret(ctx.connection),
          iff(Cond.EnableWebhook, allow('ReadWebhookToken', ['secretsmanager:GetSecretValue'], ref(Res.WebhookTokenSecret)), noValue()),
        ],
        environment: scalerEnvironment(ctx),
        timeoutSeconds: 60,
        asyncRetry: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 300 },
        reservedConcurrency: 1,
        vpc: ctx.lambdaVpc,
      }),
      [Res.ScalerScheduleRule]: ruleInvoking(Res.ScalerFunction, sub('Scaler tick of ${AWS::StackName}'), {
        ScheduleExpression: 'rate(1 minute)',
      }),
      [Res.ScalerScheduleRulePermission]: invokedBy(Res.ScalerFunction, Res.ScalerScheduleRule),
      [Res.ScalerTaskStateRule]: ruleInvoking(Res.ScalerFunction, sub('Flow-run tasks of ${AWS::StackName} starting or stopping'), {
        // Flow-run tasks are started by RunTask (group "family:..."); the worker's own tasks are
        // "service:..." and must not wake the scaler.
        EventPattern: {
          source: ['aws.ecs'],
          'detail-type': ['ECS Task State Change'],
          detail: { clusterArn: [clusterArnValue()], group: [{ prefix: 'family:' }], lastStatus: ['PENDING', 'RUNNING', 'STOPPED'] },
        },
      }),
      [Res.ScalerTaskStateRulePermission]: invokedBy(Res.ScalerFunction, Res.ScalerTaskStateRule),
      ...buildScalerWebhook(),
    },
  };
}

/** cloudform's Lambda.Permission predates InvokedViaFunctionUrl (2025); typed here. */
type PermissionProperties = ConstructorParameters<typeof Lambda.Permission>[0] & { InvokedViaFunctionUrl?: boolean };
const permission = (properties: PermissionProperties) => new Lambda.Permission(properties);

/** The optional webhook: a function URL checked by a generated token (Prefect cannot sign SigV4). */
function buildScalerWebhook() {
  return {
    [Res.WebhookTokenSecret]: new SecretsManager.Secret({
      Description: sub('Token a Prefect Automation sends to the scaler webhook of ${AWS::StackName}'),
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
    }).condition(Cond.EnableWebhook),
    [Res.ScalerFunctionUrl]: new Lambda.Url({ TargetFunctionArn: ref(Res.ScalerFunction), AuthType: 'NONE' }).condition(Cond.EnableWebhook),
    [Res.ScalerFunctionUrlPermission]: new Lambda.Permission({
      Action: 'lambda:InvokeFunctionUrl',
      FunctionName: ref(Res.ScalerFunction),
      Principal: '*',
      FunctionUrlAuthType: 'NONE',
    }).condition(Cond.EnableWebhook),
    // Function URLs created since October 2025 also need lambda:InvokeFunction, limited to URL calls.
    [Res.ScalerFunctionUrlInvokePermission]: permission({
      Action: 'lambda:InvokeFunction',
      FunctionName: ref(Res.ScalerFunction),
      Principal: '*',
      InvokedViaFunctionUrl: true,
    }).condition(Cond.EnableWebhook),
  };
}
