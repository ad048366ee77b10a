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
import { buildMonitoring } from '../worker/monitoring';
import { buildSecurityGroups } from '../worker/securityGroups';
import { buildPrefectSecret } from '../worker/secrets';

const output = (Description: string, Value: unknown, Condition?: CondId) => ({
  Description,
  Value,
  ...(Condition ? { Condition } : {}),
  Export: { Name: sub(`\${AWS::StackName}-${Description.split(' ')[0]}`) },
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
      ClusterName: output('ClusterName of the ECS cluster', clusterNameOfService()),
      ClusterArn: output('ClusterArn of the ECS cluster', sub('arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/${Name}', { Name: clusterNameOfService() })),
      WorkerServiceName: output('WorkerServiceName (the scaler sets its desired count)', getAtt(Res.WorkerService, 'Name')),
      WorkerServiceArn: output('WorkerServiceArn', ref(Res.WorkerService)),
      WorkerExecutionRoleArn: output('WorkerExecutionRoleArn', getAtt(Res.WorkerExecutionRole, 'Arn')),
      WorkerTaskRoleArn: output('WorkerTaskRoleArn', getAtt(Res.WorkerTaskRole, 'Arn')),
      FlowRunExecutionRoleArn: output('FlowRunExecutionRoleArn for the work pool', getAtt(Res.FlowRunExecutionRole, 'Arn')),
      FlowRunTaskRoleArn: output('FlowRunTaskRoleArn for the work pool', getAtt(Res.FlowRunTaskRole, 'Arn')),
      FlowRunSecurityGroupId: output('FlowRunSecurityGroupId for the work pool', ref(Res.FlowRunSecurityGroup)),
      ObserverQueueUrl: output('ObserverQueueUrl of ECS task state events', ref(Res.ObserverQueue)),
      ObserverQueueArn: output('ObserverQueueArn', getAtt(Res.ObserverQueue, 'Arn')),
      WorkerLogGroupName: output('WorkerLogGroupName', ref(Res.WorkerLogGroup)),
      FlowRunLogGroupName: output('FlowRunLogGroupName for the work pool', ref(Res.FlowRunLogGroup)),
      PrefectSecretArn: output('PrefectSecretArn of the credential the stack created (the ARN, never the value)', ctx.connection.secretOutput.value, ctx.connection.secretOutput.condition),
      WorkPoolName: output('WorkPoolName the stack created or adopted in Prefect', getAtt(Res.WorkPool, 'WorkPoolName')),
      ScalerFunctionName: output('ScalerFunctionName', ref(Res.ScalerFunction)),
      ScalerWebhookUrl: output('ScalerWebhookUrl for a Prefect Automation (POST, Authorization: Bearer <token>)', getAtt(Res.ScalerFunctionUrl, 'FunctionUrl'), Cond.EnableWebhook),
      ScalerWebhookTokenSecretArn: output('ScalerWebhookTokenSecretArn holding the webhook token (the ARN, never the value)', ref(Res.WebhookTokenSecret), Cond.EnableWebhook),
      RegistrarFunctionName: output('RegistrarFunctionName', ref(Res.RegistrarFunction), Cond.RegistrarEnabled),
      EcrRepositoryUri: output('EcrRepositoryUri to push flow images to', getAtt(Res.EcrRepository, 'RepositoryUri'), Cond.CreateEcrRepository),
      AlarmTopicArn: output('AlarmTopicArn', ref(Res.AlarmTopic)),
      DashboardUrl: output(
        'DashboardUrl of demand against workers',
        sub('https://${AWS::Region}.console.aws.amazon.com/cloudwatch/home?region=${AWS::Region}#dashboards:name=${ScalingDashboard}'),
      ),
    },
  };
}

/** Every concern of the worker stack, in the order they appear in the template. */
export function workerStackFragments(options: WorkerStackOptions = {}): TemplateFragment[] {
  const resolved = resolveWorkerStackOptions(options);
  const ctx = parameterContext();
  return [
    buildParameters(resolved),
    buildPrefectSecret(),
    ...workerFragments(resolved, ctx),
  ];
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
