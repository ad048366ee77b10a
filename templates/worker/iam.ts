/**
 * IAM roles of the worker stack, least privilege as README.md's "Security model" states:
 * - worker execution role: pull the worker image, write the worker's logs, read the one secret;
 * - worker task role: what the Prefect ECS worker does to start and watch flow-run tasks;
 * - flow-run execution role: pull flow images, write flow-run logs, read the one secret;
 * - flow-run task role: only the managed policies the user names.
 * Roles have no fixed names (IAM names are global; CloudFormation generates unique ones).
 */
import { IAM } from 'cloudform';
import { arn, getAtt, iff, members, noValue, ref, sub, type CfnValue } from '../core/cfn';
import type { TemplateFragment } from '../core/template';
import { clusterArnValue, clusterNameValue } from './ecs';
import { Cond, Param, Res, type ResId } from '../core/ids';
import { whenAuthenticated, type PrefectConnection, type WorkerContext } from './context';

export interface Statement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: CfnValue;
  Condition?: Record<string, Record<string, CfnValue>>;
}

export const allow = (Sid: string, Action: string[], Resource: CfnValue, Condition?: Statement['Condition']): Statement =>
  Condition ? { Sid, Effect: 'Allow', Action, Resource, Condition } : { Sid, Effect: 'Allow', Action, Resource };

/** A role only the given AWS service may assume, on behalf of this account (confused-deputy guard). */
function trustPolicy(service: string, extraConditions: Record<string, Record<string, CfnValue>> = {}) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        Condition: { ...extraConditions, StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } },
      },
    ],
  };
}

/** Trust policy for ECS tasks of this account only. */
export const ecsTasksTrustPolicy = () => trustPolicy('ecs-tasks.amazonaws.com', { ArnLike: { 'aws:SourceArn': arn('ecs', '*') } });

/** Trust policy for a Lambda function of this account. */
export const lambdaTrustPolicy = () => trustPolicy('lambda.amazonaws.com');

export function policy(PolicyName: string, statements: CfnValue[]) {
  return { PolicyName, PolicyDocument: { Version: '2012-10-17', Statement: statements } };
}

/**
 * Image pulls from this account's ECR repositories. Read-only and not narrowed further on
 * purpose: a flow-run image is chosen per deployment at run time (job variables, the registrar's
 * pushes), and the worker and server images are parameters that may name any repository, or
 * Docker Hub; a role limited to the repositories known at deploy time would fail those pulls.
 */
export function pullImages(): Statement[] {
  return [
    allow('EcrToken', ['ecr:GetAuthorizationToken'], '*'),
    allow(
      'EcrPull',
      ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      arn('ecr', 'repository/*'),
    ),
  ];
}

export const writeLogs = (logGroup: ResId, actions: string[] = []): Statement =>
  allow('WriteLogs', ['logs:CreateLogStream', 'logs:PutLogEvents', ...actions], getAtt(logGroup, 'Arn'));

/** Read of the Prefect credential, present only when the stack uses one. */
export const readPrefectSecret = (c: PrefectConnection): CfnValue =>
  whenAuthenticated(c, allow('ReadPrefectCredential', ['secretsmanager:GetSecretValue'], c.secretArn));

/**
 * The task-definition families of this work pool's flow runs. prefect-aws names a family
 * `prefect_<work pool>_<deployment id>` (or `..._<flow id>`) unless the job sets `family`
 * (prefect-aws-0.7.7:src/integrations/prefect-aws/prefect_aws/workers/ecs_worker.py:109,1128-1146),
 * and RegisterTaskDefinition and RunTask take the task-definition resource type (Service
 * Authorization Reference, ECS). RunTask's ARN carries the revision, which `*` covers.
 * prefect-aws 0.7.7 calls slugify on the family and discards the result (lines 1141-1145): the
 * family is the pool name as it is, so the name must already be a valid family fragment
 * (WORK_POOL_NAME_PATTERN), and this ARN needs no normalisation to match it.
 */
export const flowRunTaskDefinitions = () => sub('arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/prefect_${WorkPoolName}_*');

function workerTaskStatements(): Statement[] {
  const clusterCondition = { ArnEquals: { 'ecs:cluster': clusterArnValue() } };
  const clusterTasks = sub('arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/${ClusterName}/*', {
    ClusterName: clusterNameValue(),
  });
  return [
    allow('RunFlowRunTasksInThisCluster', ['ecs:RunTask'], flowRunTaskDefinitions(), clusterCondition),
    allow('WatchAndStopFlowRunTasks', ['ecs:DescribeTasks', 'ecs:StopTask'], clusterTasks, clusterCondition),
    allow('TagOnCreate', ['ecs:TagResource'], [clusterTasks, flowRunTaskDefinitions()], {
      StringEquals: { 'ecs:CreateAction': ['RunTask', 'RegisterTaskDefinition'] },
    }),
    allow('RegisterFlowRunTaskDefinitions', ['ecs:RegisterTaskDefinition'], flowRunTaskDefinitions()),
    allow('ReadAndRetireTaskDefinitions', ['ecs:DeregisterTaskDefinition', 'ecs:DescribeTaskDefinition'], '*'),
    allow('ValidateNetwork', ['ec2:DescribeSubnets', 'ec2:DescribeVpcs'], '*'),
    allow('PassFlowRunRoles', ['iam:PassRole'], [getAtt(Res.FlowRunExecutionRole, 'Arn'), getAtt(Res.FlowRunTaskRole, 'Arn')], {
      StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    }),
    allow('StreamFlowRunLogs', ['logs:GetLogEvents'], getAtt(Res.FlowRunLogGroup, 'Arn')),
    allow(
      'ConsumeTaskStateEvents',
      ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
      getAtt(Res.ObserverQueue, 'Arn'),
    ),
  ];
}

export function buildWorkerRoles(ctx: WorkerContext): TemplateFragment {
  return {
    Resources: {
      [Res.WorkerExecutionRole]: new IAM.Role({
        Description: sub('Pulls the Prefect worker image and writes its logs (${AWS::StackName})'),
        AssumeRolePolicyDocument: ecsTasksTrustPolicy(),
        Policies: [policy('worker-execution', [...pullImages(), writeLogs(Res.WorkerLogGroup), readPrefectSecret(ctx.connection)])],
      }),
      [Res.WorkerTaskRole]: new IAM.Role({
        Description: sub('Lets the Prefect ECS worker start and watch flow-run tasks (${AWS::StackName})'),
        AssumeRolePolicyDocument: ecsTasksTrustPolicy(),
        Policies: [policy('prefect-ecs-worker', workerTaskStatements())],
      }),
      [Res.FlowRunExecutionRole]: new IAM.Role({
        Description: sub('Pulls flow-run images and writes flow-run logs (${AWS::StackName})'),
        AssumeRolePolicyDocument: ecsTasksTrustPolicy(),
        // The ECS worker asks awslogs to create the group if missing; the group exists, but the call needs the right.
        Policies: [policy('flow-run-execution', [...pullImages(), writeLogs(Res.FlowRunLogGroup, ['logs:CreateLogGroup']), readPrefectSecret(ctx.connection)])],
      }),
      [Res.FlowRunTaskRole]: new IAM.Role({
        Description: sub('Identity of flow-run code; grants only the managed policies named at deploy (${AWS::StackName})'),
        AssumeRolePolicyDocument: ecsTasksTrustPolicy(),
        ManagedPolicyArns: iff(Cond.HasFlowRunPolicies, members(Param.FlowRunManagedPolicyArns), noValue()),
      }),
    },
  };
}

/** What every function of the stack needs: its own log group, the shared dead-letter queue, and, in a VPC, its interfaces. */
export function functionBasics(logGroup: ResId, inVpc = false): Statement[] {
  return [
    allow('WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], getAtt(logGroup, 'Arn')),
    allow('SendToDeadLetterQueue', ['sqs:SendMessage'], getAtt(Res.LambdaDeadLetterQueue, 'Arn')),
    ...(inVpc ? [allow('VpcNetworkInterfaces', ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces'], '*')] : []),
  ];
}

