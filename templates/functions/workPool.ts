/**
 * The work-pool custom resource: a function that makes the Prefect ECS work pool match the
 * stack (network, flow-run roles, logs, launch type, credential secret) and always answers.
 */
import type { WorkPoolEnv } from '../../lambdas/work-pool/env';
import { getAtt, iff, ref, sub } from '../core/cfn';
import { Cond, Param, Res } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import { afterApiReady, secretArnOrEmpty, type WorkerContext } from '../worker/context';
import { clusterNameValue } from '../worker/ecs';
import { readPrefectSecret } from '../worker/iam';
import { prefectEnvironment, stackFunction, type EnvironmentOf } from './lambda';

export function buildWorkPool(ctx: WorkerContext): TemplateFragment {
  const environment: EnvironmentOf<typeof WorkPoolEnv> = prefectEnvironment(ctx.connection);
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
        environment,
        timeoutSeconds: 120,
        asyncRetry: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 900 },
        vpc: ctx.lambdaVpc,
      }),
      [Res.WorkPool]: {
        Type: 'Custom::PrefectWorkPool',
        Properties: {
          ServiceToken: getAtt(Res.WorkPoolFunction, 'Arn'),
          // The function answers within its 120 s timeout; this bounds CloudFormation's wait if it never runs.
          ServiceTimeout: 300,
          WorkPoolName: ref(Param.WorkPoolName),
          Cluster: clusterNameValue(),
          ExecutionRoleArn: getAtt(Res.FlowRunExecutionRole, 'Arn'),
          TaskRoleArn: getAtt(Res.FlowRunTaskRole, 'Arn'),
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
        // The function writes the pool through the Prefect API: it must be answering.
        ...afterApiReady(ctx),
      },
    },
  };
}
