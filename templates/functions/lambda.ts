/**
 * What every function of the stack shares: its own log group and role, JSON logs, the shared
 * dead-letter queue, the Prefect connection in its environment, and EventBridge rules that
 * invoke it. One module per function (scaler.ts, workPool.ts, registrar.ts) builds on this.
 */
import { Events, IAM, Lambda } from 'cloudform';
import { PrefectEnv, type EnvName } from '../../lambdas/common/env';
import { getAtt, ref, type CfnValue, type Intrinsic } from '../core/cfn';
import { LAMBDA_RUNTIME } from '../core/constants';
import { Res, type CondId, type ResId } from '../core/ids';
import { ServerlessFunction } from '../core/sam';
import { secretArnOrEmpty, type PrefectConnection, type WorkerContext } from '../worker/context';
import { functionBasics, lambdaTrustPolicy, policy } from '../worker/iam';
import { retainedLogGroup } from '../worker/logs';

/** Stale triggers are worthless: the next minute re-evaluates anyway. */
export const EVENT_RETRY = { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 };

/** An EventBridge rule that invokes a function, with the permission it needs and a DLQ. */
export function ruleInvoking(
  fn: ResId,
  description: Intrinsic,
  trigger: { ScheduleExpression: string } | { EventPattern: object },
  /** How long EventBridge tries to hand the event to Lambda. @default EVENT_RETRY */
  retryPolicy: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number } = EVENT_RETRY,
) {
  return new Events.Rule({
    Description: description,
    State: 'ENABLED',
    ...trigger,
    Targets: [
      {
        Id: fn,
        Arn: getAtt(fn, 'Arn'),
        RetryPolicy: retryPolicy,
        DeadLetterConfig: { Arn: getAtt(Res.LambdaDeadLetterQueue, 'Arn') },
      },
    ],
  });
}

export const invokedBy = (fn: ResId, rule: ResId) =>
  new Lambda.Permission({ Action: 'lambda:InvokeFunction', FunctionName: ref(fn), Principal: 'events.amazonaws.com', SourceArn: getAtt(rule, 'Arn') });

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
  readonly condition?: CondId;
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
      Role: getAtt(spec.role, 'Arn'),
      ...(spec.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: spec.reservedConcurrency }),
      Environment: { Variables: spec.environment },
      DeadLetterQueue: { Type: 'SQS', TargetArn: getAtt(Res.LambdaDeadLetterQueue, 'Arn') },
      EventInvokeConfig: spec.asyncRetry,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: ref(spec.logGroup) },
      ...(spec.vpc ? { VpcConfig: { SubnetIds: spec.vpc.subnetIds, SecurityGroupIds: spec.vpc.securityGroupIds } } : {}),
    }),
  };
  if (spec.condition) for (const resource of Object.values(resources)) resource.condition(spec.condition);
  return resources;
}

/**
 * A value for every variable of a function's env contract (lambdas/<fn>/env.ts): a variable the
 * builder leaves out fails to compile.
 */
export type EnvironmentOf<Contract extends Readonly<Record<string, string>>> = { readonly [Name in EnvName<Contract>]: CfnValue };

/** Environment every function of the stack gets to reach Prefect (the secret's ARN, never its value). */
export const prefectEnvironment = (c: PrefectConnection): EnvironmentOf<typeof PrefectEnv> => ({
  [PrefectEnv.ApiUrl]: c.apiUrl,
  [PrefectEnv.AuthMode]: c.authMode,
  [PrefectEnv.SecretArn]: secretArnOrEmpty(c),
});
