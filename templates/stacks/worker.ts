/**
 * The published worker stack: Prefect workers on ECS Fargate, wired to the stack's network,
 * roles, logs and task-event observer. Composes the concern builders in a fixed order so the
 * output is byte-identical for the same options.
 */
import { getAtt, ref, select, split, sub } from '../core/cfn';
import { Cond, Res, type CondId } from '../core/ids';
import { mergeFragments, stackTemplate, type StackTemplate, type TemplateFragment } from '../core/template';
import { buildRegistrar, registrarRuleArns } from '../functions/registrar';
import { buildScaler } from '../functions/scaler';
import { buildWorkPool } from '../functions/workPool';
import { buildParameterInterface, buildParameters } from '../parameters/buildParameters';
import { resolveWorkerStackOptions, type ResolvedWorkerStackOptions, type WorkerStackOptions } from '../parameters/options';
import { parameterContext, type WorkerContext } from '../worker/context';
import { buildEcrRepository } from '../worker/ecr';
import { buildCluster, buildWorker } from '../worker/ecs';
import { buildEcsObserver, buildLambdaDeadLetterQueue } from '../worker/events';
import { buildWorkerRoles } from '../worker/iam';
import { buildLogGroups } from '../worker/logs';
import { withAlarmTopicPolicy } from '../worker/alarmTopic';
import { buildMonitoring } from '../worker/monitoring';
import { buildSecurityGroups } from '../worker/securityGroups';
import { buildPrefectSecret } from '../worker/secrets';

/** An output, exported as <stack name>-<name>; the description says what the value is for. */
const output = (name: string, Description: string, Value: unknown, Condition?: CondId) => ({
  [name]: { Description, Value, ...(Condition ? { Condition } : {}), Export: { Name: sub(`\${AWS::StackName}-${name}`) } },
});

/**
 * The cluster's name, read from the worker service's ARN (`…:service/<cluster>/<service>`: every
 * service created since 2021 has this long form, and a tagged one must,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-arn-migration.html). An
 * output that picked between the conditional Cluster and the parameter with Fn::If would be
 * flagged by AWS CloudFormation Validate (W1001), although the branch is guarded.
 */
const clusterNameOfService = () => select(1, split('/', ref(Res.WorkerService)));

export function buildWorkerOutputs(ctx: WorkerContext): TemplateFragment {
  return {
    Outputs: {
      ...output('ClusterName', 'ECS cluster the workers and flow runs run in (the work pool\'s cluster)', clusterNameOfService()),
      ...output(
        'ClusterArn',
        'ARN of that cluster, for IAM policies and ecs:cluster conditions of your own',
        sub('arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/${Name}', { Name: clusterNameOfService() }),
      ),
      ...output('WorkerServiceName', 'ECS service of the Prefect workers; the scaler sets its desired count', getAtt(Res.WorkerService, 'Name')),
      ...output('WorkerServiceArn', 'ARN of the worker service, for IAM policies and alarms of your own', ref(Res.WorkerService)),
      ...output('WorkerExecutionRoleArn', 'Role ECS uses to start a worker: pulls the image, reads the credential secret, writes logs', getAtt(Res.WorkerExecutionRole, 'Arn')),
      ...output('WorkerTaskRoleArn', 'Role the worker runs as: starts, watches and stops flow-run tasks in this cluster only', getAtt(Res.WorkerTaskRole, 'Arn')),
      ...output('FlowRunExecutionRoleArn', 'Role ECS uses to start flow-run tasks: the work pool\'s execution_role_arn', getAtt(Res.FlowRunExecutionRole, 'Arn')),
      ...output('FlowRunTaskRoleArn', 'Role your flow runs run as (the work pool\'s task_role_arn): give it what your flows need', getAtt(Res.FlowRunTaskRole, 'Arn')),
      ...output('FlowRunSecurityGroupId', 'Security group of flow-run tasks, in the work pool\'s network_configuration', ref(Res.FlowRunSecurityGroup)),
      ...output('ObserverQueueUrl', 'SQS queue of this cluster\'s ECS task state events, which the worker\'s observer reads to spot crashed runs', ref(Res.ObserverQueue)),
      ...output('ObserverQueueArn', 'ARN of that queue, for IAM policies of your own', getAtt(Res.ObserverQueue, 'Arn')),
      ...output('WorkerLogGroupName', 'CloudWatch log group of the worker containers: where to look when a worker does not start', ref(Res.WorkerLogGroup)),
      ...output('FlowRunLogGroupName', 'CloudWatch log group of flow-run tasks, in the work pool\'s cloudwatch_logs_options', ref(Res.FlowRunLogGroup)),
      ...output('PrefectSecretArn', 'Secret the stack created for the Prefect credential the workers, flow runs and Lambdas use (the ARN, never the value)', ctx.connection.secretOutput.value, ctx.connection.secretOutput.condition),
      ...output('WorkPoolName', 'Prefect work pool the stack created or adopted: deploy your flows to it', getAtt(Res.WorkPool, 'WorkPoolName')),
      ...output('ScalerFunctionName', 'Lambda that sets the worker count; its logs give each decision with its inputs', ref(Res.ScalerFunction)),
      ...output('ScalerWebhookUrl', 'URL for a Prefect Automation "Call a webhook" (POST, Authorization: Bearer <token>)', getAtt(Res.ScalerFunctionUrl, 'FunctionUrl'), Cond.EnableWebhook),
      ...output('ScalerWebhookTokenSecretArn', 'Secret holding the token of that Authorization header (the ARN, never the value)', ref(Res.WebhookTokenSecret), Cond.EnableWebhook),
      ...output('RegistrarFunctionName', 'Lambda that registers deployments when an image is pushed; its logs say what each push did', ref(Res.RegistrarFunction), Cond.RegistrarEnabled),
      ...output('EcrRepositoryUri', 'Repository the stack created: push flow images here to register their deployments', getAtt(Res.EcrRepository, 'RepositoryUri'), Cond.CreateEcrRepository),
      ...output('AlarmTopicArn', 'SNS topic of the stack\'s alarms: subscribe to hear about them', ref(Res.AlarmTopic)),
      ...output(
        'DashboardUrl',
        'CloudWatch dashboard of the work pool\'s demand against running workers',
        sub('https://${AWS::Region}.console.aws.amazon.com/cloudwatch/home?region=${AWS::Region}#dashboards:name=${ScalingDashboard}'),
      ),
    },
  };
}

/** Every concern of the worker stack, in the order they appear in the template. */
export function workerStackFragments(options: WorkerStackOptions = {}): TemplateFragment[] {
  const resolved = resolveWorkerStackOptions(options);
  const ctx = parameterContext();
  return withAlarmTopicPolicy([
    buildParameters(resolved),
    buildPrefectSecret(),
    ...workerFragments(resolved, ctx),
  ]);
}

/** The worker, its observer, scaler, work pool and registrar: shared by every published stack. */
export function workerFragments(resolved: ResolvedWorkerStackOptions, ctx: WorkerContext): TemplateFragment[] {
  return [
    buildWorkerRoles(ctx),
    buildSecurityGroups(ctx),
    buildLogGroups(),
    buildCluster(),
    buildWorker(ctx),
    buildEcsObserver(),
    buildLambdaDeadLetterQueue([getAtt(Res.ObserverRule, 'Arn'), getAtt(Res.ScalerScheduleRule, 'Arn'), getAtt(Res.ScalerTaskStateRule, 'Arn'), ...registrarRuleArns()]),
    buildScaler(ctx),
    buildWorkPool(ctx),
    buildRegistrar(resolved, ctx),
    buildEcrRepository(),
    buildMonitoring(),
    buildWorkerOutputs(ctx),
  ];
}

export function buildWorkerStack(options: WorkerStackOptions = {}): StackTemplate {
  const resolved = resolveWorkerStackOptions(options);
  return stackTemplate(
    'prefect-ecs-stack worker: Prefect ECS workers on Fargate that scale to zero and wake before runs are due, least-privilege IAM, ECS task observer.',
    buildParameterInterface(resolved),
    mergeFragments(workerStackFragments(options)),
  );
}
