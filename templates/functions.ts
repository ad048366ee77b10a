/**
 * The scaler Lambda and its triggers: a 1-minute schedule, this cluster's flow-run task state
 * changes, and an optional webhook (function URL, token-authenticated). Reserved concurrency 1
 * serialises evaluations; failed async invocations and undeliverable events go to the shared
 * dead-letter queue.
 */
import { Events, IAM, Lambda, SecretsManager } from 'cloudform';
import { retainedLogGroup } from './logs';
import { iff, noValue, ref, sub, type CfnValue, type Intrinsic, type TemplateFragment } from './cfn';
import { LAMBDA_RUNTIME } from './constants';
import { clusterArnValue, clusterNameValue } from './ecs';
import { allow, functionBasics, lambdaTrustPolicy, policy, readPrefectSecret } from './iam';
import { Cond, Param, Res, attr, type ResId } from './ids';
import { ServerlessFunction } from './sam';
import { secretArnOrEmpty, type PrefectConnection, type WorkerContext } from './context';

export const METRICS_NAMESPACE = 'PrefectEcsStack';

/** Stale triggers are worthless: the next minute re-evaluates anyway. */
const EVENT_RETRY = { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 };

export const workerServiceArn = () =>
  sub('arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/${ClusterName}/${ServiceName}', {
    ClusterName: clusterNameValue(),
    ServiceName: attr(Res.WorkerService, 'Name'),
  });

function scalerEnvironment(ctx: WorkerContext): Record<string, CfnValue> {
  return {
    ...prefectEnvironment(ctx.connection),
    WORK_POOL: ref(Param.WorkPoolName),
    WORK_QUEUES: ref(Param.WorkQueues),
    ECS_CLUSTER: clusterNameValue(),
    ECS_SERVICE: attr(Res.WorkerService, 'Name'),
    MIN_WORKERS: ref(Param.MinWorkers),
    MAX_WORKERS: ref(Param.MaxWorkers),
    RUNS_PER_WORKER: ref(Param.RunsPerWorker),
    LOOKAHEAD_SECONDS: ref(Param.LookaheadSeconds),
    IDLE_GRACE_SECONDS: ref(Param.IdleGraceSeconds),
    WEBHOOK_TOKEN_SECRET_ARN: iff(Cond.EnableWebhook, ref(Res.WebhookTokenSecret), ''),
    METRICS_NAMESPACE,
    STACK_NAME: ref('AWS::StackName'),
  };
}

/** An EventBridge rule that invokes a function, with the permission it needs and a DLQ. */
export function ruleInvoking(fn: ResId, description: Intrinsic, trigger: { ScheduleExpression: string } | { EventPattern: object }) {
  return new Events.Rule({
    Description: description,
    State: 'ENABLED',
    ...trigger,
    Targets: [
      {
        Id: fn,
        Arn: attr(fn, 'Arn'),
        RetryPolicy: EVENT_RETRY,
        DeadLetterConfig: { Arn: attr(Res.LambdaDeadLetterQueue, 'Arn') },
      },
    ],
  });
}

export const invokedBy = (fn: ResId, rule: ResId) =>
  new Lambda.Permission({ Action: 'lambda:InvokeFunction', FunctionName: ref(fn), Principal: 'events.amazonaws.com', SourceArn: attr(rule, 'Arn') });

export interface StackFunctionSpec {
  readonly logGroup: ResId;
  readonly role: ResId;
  readonly fn: ResId;
  /** Folder of the bundle under build/ (lambdas/<name>). */
  readonly codeUri: string;
  readonly roleDescription: Intrinsic;
  readonly description: Intrinsic;
  /** What the function may do beyond writing its logs and dead letters. */
  readonly statements: CfnValue[];
  readonly environment: Record<string, CfnValue>;
  readonly timeoutSeconds: number;
  readonly asyncRetry: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number };
  readonly reservedConcurrency?: number;
  /** Create the function only under this condition. */
  readonly condition?: string;
  /** Run inside these subnets (to reach a Prefect API in the VPC). */
  readonly vpc?: WorkerContext['lambdaVpc'];
}

/** A function of the stack with its own log group and role, JSON logs and the shared dead-letter queue. */
export function stackFunction(spec: StackFunctionSpec) {
  const resources = {
    [spec.logGroup]: retainedLogGroup(),
    [spec.role]: new IAM.Role({
      Description: spec.roleDescription,
      AssumeRolePolicyDocument: lambdaTrustPolicy(),
      Policies: [policy(spec.codeUri.replace('lambdas/', ''), [...functionBasics(spec.logGroup, spec.vpc !== undefined), ...spec.statements])],
    }),
    [spec.fn]: new ServerlessFunction({
      CodeUri: spec.codeUri,
      Handler: 'index.handler',
      Runtime: LAMBDA_RUNTIME,
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: spec.timeoutSeconds,
      Description: spec.description,
      Role: attr(spec.role, 'Arn'),
      ...(spec.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: spec.reservedConcurrency }),
      Environment: { Variables: spec.environment },
      DeadLetterQueue: { Type: 'SQS', TargetArn: attr(Res.LambdaDeadLetterQueue, 'Arn') },
      EventInvokeConfig: spec.asyncRetry,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: ref(spec.logGroup) },
      ...(spec.vpc ? { VpcConfig: { SubnetIds: spec.vpc.subnetIds, SecurityGroupIds: spec.vpc.securityGroupIds } } : {}),
    }),
  };
  if (spec.condition) for (const resource of Object.values(resources)) resource.condition(spec.condition);
  return resources;
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

/** Environment every function of the stack gets to reach Prefect (the secret's ARN, never its value). */
export const prefectEnvironment = (c: PrefectConnection): Record<string, CfnValue> => ({
  PREFECT_API_URL: c.apiUrl,
  PREFECT_AUTH_MODE: c.authMode,
  PREFECT_SECRET_ARN: secretArnOrEmpty(c),
});

/**
 * The work-pool custom resource: a function that makes the Prefect ECS work pool match the
 * stack (network, flow-run roles, logs, launch type, credential secret) and always answers.
 */
export function buildWorkPool(ctx: WorkerContext): TemplateFragment {
  return {
    Resources: {
      ...stackFunction({
        logGroup: Res.WorkPoolLogGroup,
        role: Res.WorkPoolRole,
        fn: Res.WorkPoolFunction,
        codeUri: 'lambdas/work-pool',
        roleDescription: sub('Lets the work-pool custom resource read the Prefect credential (${AWS::StackName})'),
        description: sub('Keeps the Prefect work pool of ${AWS::StackName} wired to the stack'),
        statements: [readPrefectSecret(ctx.connection)],
        environment: prefectEnvironment(ctx.connection),
        timeoutSeconds: 120,
        asyncRetry: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 900 },
        vpc: ctx.lambdaVpc,
      }),
      [Res.WorkPool]: {
        Type: 'Custom::PrefectWorkPool',
        Properties: {
          ServiceToken: attr(Res.WorkPoolFunction, 'Arn'),
          // The function answers within its 120 s timeout; this bounds CloudFormation's wait if it never runs.
          ServiceTimeout: 300,
          WorkPoolName: ref(Param.WorkPoolName),
          Cluster: clusterNameValue(),
          ExecutionRoleArn: attr(Res.FlowRunExecutionRole, 'Arn'),
          TaskRoleArn: attr(Res.FlowRunTaskRole, 'Arn'),
          VpcId: ctx.network.vpcId,
          Subnets: ctx.network.subnetIds,
          SecurityGroups: [ref(Res.FlowRunSecurityGroup)],
          AssignPublicIp: ctx.network.assignPublicIp,
          LogGroupName: ref(Res.FlowRunLogGroup),
          LogStreamPrefix: 'flow-run',
          Region: ref('AWS::Region'),
          LaunchType: iff(Cond.UseFargateSpot, 'FARGATE_SPOT', 'FARGATE'),
          AuthMode: ctx.connection.authMode,
          CredentialSecretArn: secretArnOrEmpty(ctx.connection),
          RemoveOnDelete: ref(Param.RemoveWorkPoolOnDelete),
        },
      },
    },
  };
}
