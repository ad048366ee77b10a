/**
 * The registrar: an ECR push of a watched repository becomes Prefect deployments pinned to the
 * image digest, and an edit of its manifest applies to the current images at once. The manifest
 * lives in an SSM parameter (the JSON form stored by the stack from a synth-time prefect.yaml, or
 * named at deploy time); its role reads only the watched repositories. One invocation at a time
 * (reserved concurrency 1): reading a deployment, deciding and writing it is not atomic in
 * Prefect, so two pushes at once could leave the older image deployed. Lambda queues the
 * throttled asynchronous events and runs them later, for up to the event age set below
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html). A FIFO
 * queue grouped by repository was the alternative: EventBridge's SQS target takes one static
 * MessageGroupId per target (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-events-rule-sqsparameters.html),
 * so it would need a target per repository, which a list parameter cannot give.
 *
 * Events can still be lost: the async queue "might also delete events" it cannot deliver in time
 * (same page), Parameter Store events are "emitted on a best effort basis"
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-cwe.html), and
 * the stored manifest's Create event may come before its rule takes effect. So a schedule re-applies
 * the manifest to the current images every RECONCILE_SCHEDULE: idempotent (an unchanged deployment
 * is not written), it repairs a lost push within that time.
 */
import { CloudWatch, SSM } from 'cloudform';
import { REGISTRAR_METRICS_NAMESPACE, RegistrarEnv } from '../../lambdas/registrar/env';
import { equals, getAtt, iff, join, not, noValue, ref, select, split, sub, type Intrinsic } from '../core/cfn';
import type { TemplateFragment } from '../core/template';
import { whenApiReady, type WorkerContext } from '../worker/context';
import { allow, readPrefectSecret } from '../worker/iam';
import { invokedBy, prefectEnvironment, ruleInvoking, stackFunction, type EnvironmentOf } from './lambda';
import { Cond, Param, Res } from '../core/ids';
import { MAX_WATCHED_REPOSITORIES, type ResolvedWorkerStackOptions } from '../parameters/options';
import { ALARM_BASE, stackAlarmName } from '../worker/monitoring';

/** How often the manifest is re-applied to the current images (what repairs lost events). */
export const RECONCILE_SCHEDULE = 'rate(15 minutes)';

/**
 * Lambda keeps an event it cannot run yet (one invocation at a time) for up to 6 hours, the most
 * it allows (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html),
 * so a burst of pushes during a Prefect outage is registered when Prefect is back; EventBridge
 * hands its events to Lambda as long.
 */
const ASYNC_RETRY = { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21_600 };
const DELIVERY_RETRY = { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 21_600 };

/**
 * The stored manifest as the parameter's value. JSON holding `${` goes through Fn::Sub with each
 * `${` written `${!`, which CloudFormation renders as `${` (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html):
 * as a plain string it is stored as it is too, but cfn-lint refuses the template (E1029, an
 * embedded parameter outside Fn::Sub), and a shell command in job_variables often holds `${HOME}`.
 */
export const storedManifestValue = (json: string): string | Intrinsic => (json.includes('${') ? sub(json.replaceAll('${', '${!')) : json);

/** The repositories the stack watches, comma-separated (empty items are dropped by the reader). */
const watchedRepositoryText = (): Intrinsic => join(',', [ref(Param.WatchedRepositories), ref(Param.EcrRepositoryName)]);

/** The SSM parameter that holds a manifest stored by the stack. */
export const STORED_MANIFEST_NAME = '/prefect-ecs-stack/${AWS::StackName}/manifest';

/**
 * Watched repositories plus the one the stack creates. When either is empty, the list gains an
 * empty name, which matches no push and no repository.
 */
const watchedRepositoryList = (): Intrinsic => split(',', watchedRepositoryText());

/** The parameter's pattern allows at most MAX_WATCHED_REPOSITORIES, plus the repository the stack creates. */
const REPOSITORY_SLOTS = MAX_WATCHED_REPOSITORIES + 1;

/**
 * One ARN per watched repository. CloudFormation cannot map over a list, so the list is padded
 * with "-" (not a valid repository name: those ARNs match nothing) and read by index.
 */
function watchedRepositoryArns(): Intrinsic[] {
  const padded = split(',', join(',', [ref(Param.WatchedRepositories), ref(Param.EcrRepositoryName), Array(REPOSITORY_SLOTS).fill('-').join(',')]));
  return Array.from({ length: REPOSITORY_SLOTS }, (_, i) =>
    sub('arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/${Repository}', { Repository: select(i, padded) }),
  );
}

function manifestParameter(o: ResolvedWorkerStackOptions): { name: Intrinsic; arn: Intrinsic } {
  const own = { name: ref(Param.ManifestParameterName), arn: sub('arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ManifestParameterName}') };
  if (!o.manifest) return own;
  // Its name, not a Ref: the parameter is created after the rule that invokes the function (below).
  const stored = { name: sub(STORED_MANIFEST_NAME), arn: sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${STORED_MANIFEST_NAME}`) };
  return { name: iff(Cond.HasManifestParameter, own.name, stored.name), arn: iff(Cond.HasManifestParameter, own.arn, stored.arn) };
}

export function buildRegistrar(o: ResolvedWorkerStackOptions, ctx: WorkerContext): TemplateFragment {
  const manifest = manifestParameter(o);
  const environment: EnvironmentOf<typeof RegistrarEnv> = {
    ...prefectEnvironment(ctx.connection),
    [RegistrarEnv.ManifestParameter]: manifest.name,
    [RegistrarEnv.WorkPool]: ref(Param.WorkPoolName),
    [RegistrarEnv.WatchedRepositories]: watchedRepositoryText(),
    [RegistrarEnv.UrlSuffix]: ref('AWS::URLSuffix'),
  };
  return {
    Conditions: o.manifest ? { [Cond.HasManifestParameter]: not(equals(ref(Param.ManifestParameterName), '')) } : {},
    Resources: {
      ...(o.manifest
        ? {
            [Res.RegistrarManifest]: new SSM.Parameter({
              // Named after the stack (unique in its region) so people know which parameter to edit.
              Name: sub(STORED_MANIFEST_NAME),
              Type: 'String',
              // Standard up to 4 KB, Advanced (8 KB) above (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html).
              Tier: 'Intelligent-Tiering',
              Description: `prefect.yaml with ecr_triggers, as JSON, for the registrar (from ${o.manifest.file}); an edit applies within minutes`,
              Value: storedManifestValue(o.manifest.json),
            })
              .condition(Cond.RegistrarEnabled)
              // Its Create event is the first registration: after the rule that routes it, and the work pool it registers into.
              .dependsOn([Res.RegistrarManifestRule, Res.RegistrarManifestRulePermission, Res.WorkPool]),
          }
        : {}),
      ...stackFunction({
        logGroup: Res.RegistrarLogGroup,
        role: Res.RegistrarRole,
        fn: Res.RegistrarFunction,
        codeUri: 'lambdas/registrar',
        roleDescription: sub('Lets the registrar read watched images and its manifest (${AWS::StackName})'),
        description: sub('Registers Prefect deployments of ${AWS::StackName} from ECR pushes'),
        statements: [
          allow('DescribeWatchedImages', ['ecr:DescribeImages'], watchedRepositoryArns()),
          allow('ReadManifest', ['ssm:GetParameter'], manifest.arn),
          readPrefectSecret(ctx.connection),
        ],
        environment,
        // Room for a reconcile of many deployments; no call starts within 35 s of the end (lambdas/registrar/timeBudget.ts).
        timeoutSeconds: 300,
        reservedConcurrency: 1,
        // Prefect or AWS failures are retried, then the event lands in the dead-letter queue.
        asyncRetry: ASYNC_RETRY,
        condition: Cond.RegistrarEnabled,
        vpc: ctx.lambdaVpc,
      }),
      [Res.RegistrarRule]: whenApiReady(
        ctx,
        ruleInvoking(Res.RegistrarFunction, sub('Image pushes to the repositories ${AWS::StackName} watches'), {
          EventPattern: {
            source: ['aws.ecr'],
            'detail-type': ['ECR Image Action'],
            detail: { 'action-type': ['PUSH'], result: ['SUCCESS'], 'repository-name': watchedRepositoryList() },
          },
        }, DELIVERY_RETRY).condition(Cond.RegistrarEnabled),
      ),
      [Res.RegistrarRulePermission]: invokedBy(Res.RegistrarFunction, Res.RegistrarRule).condition(Cond.RegistrarEnabled),
      // Parameter Store Change events (https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-systems-manager-event-examples.html#SSM-Parameter-Store-event-types),
      // matched on the parameter's ARN in `resources`, which is written one way for plain and hierarchical names alike.
      [Res.RegistrarManifestRule]: whenApiReady(
        ctx,
        ruleInvoking(Res.RegistrarFunction, sub('Edits of the registrar manifest of ${AWS::StackName}'), {
          EventPattern: { source: ['aws.ssm'], 'detail-type': ['Parameter Store Change'], resources: [manifest.arn], detail: { operation: ['Create', 'Update'] } },
        }, DELIVERY_RETRY).condition(Cond.RegistrarEnabled),
      ),
      [Res.RegistrarManifestRulePermission]: invokedBy(Res.RegistrarFunction, Res.RegistrarManifestRule).condition(Cond.RegistrarEnabled),
      // A stale reconcile is worth nothing (the next one comes): the default, short delivery retry.
      [Res.RegistrarReconcileRule]: whenApiReady(
        ctx,
        ruleInvoking(Res.RegistrarFunction, sub('Re-applies the registrar manifest of ${AWS::StackName} to the current images'), { ScheduleExpression: RECONCILE_SCHEDULE }).condition(Cond.RegistrarEnabled),
      ),
      [Res.RegistrarReconcileRulePermission]: invokedBy(Res.RegistrarFunction, Res.RegistrarReconcileRule).condition(Cond.RegistrarEnabled),
      [Res.RegistrarProblemsAlarm]: registrarProblemsAlarm().condition(Cond.RegistrarEnabled),
    },
  };
}

/** The registrar rules' ARNs where the rules exist (for the dead-letter queue's policy). */
export const registrarRuleArns = () =>
  [Res.RegistrarRule, Res.RegistrarManifestRule, Res.RegistrarReconcileRule].map((rule) => iff(Cond.RegistrarEnabled, getAtt(rule, 'Arn'), noValue()));

/** A metric of lambdas/registrar/metrics.ts, summed over 15 minutes (one reconcile). */
const registrarMetric = (Id: string, MetricName: string) => ({
  Id,
  MetricStat: { Metric: { Namespace: REGISTRAR_METRICS_NAMESPACE, MetricName, Dimensions: [{ Name: 'FunctionName', Value: ref(Res.RegistrarFunction) }] }, Period: 900, Stat: 'Sum' },
  ReturnData: false,
});

/**
 * Failures for good are logged and not retried, so the dead-letter alarm never sees them: a
 * deployment Prefect refuses (422), a missing block, a work pool other than WorkPoolName, a
 * repository the stack does not watch, a manifest the registrar cannot read. The reconcile meets
 * them again every 15 minutes, so one datapoint in two periods keeps the alarm up while they last.
 */
function registrarProblemsAlarm() {
  const { Period: _period, ...base } = ALARM_BASE;
  return new CloudWatch.Alarm({
    ...base,
    AlarmName: stackAlarmName(Res.RegistrarProblemsAlarm),
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    AlarmDescription: sub('The registrar of ${AWS::StackName} failed to register a deployment for good, or cannot read its manifest: its log group names the deployment and the reason'),
    Metrics: [
      registrarMetric('failed', 'DeploymentsFailed'),
      registrarMetric('manifest', 'ManifestInvalid'),
      { Id: 'problems', Expression: 'FILL(failed, 0) + FILL(manifest, 0)', Label: 'deployments failed for good, or an unreadable manifest', ReturnData: true },
    ],
    Threshold: 1,
    EvaluationPeriods: 2,
    DatapointsToAlarm: 1,
  });
}
