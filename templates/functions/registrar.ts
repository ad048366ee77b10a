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
 */
import { SSM } from 'cloudform';
import { RegistrarEnv } from '../../lambdas/registrar/env';
import { equals, getAtt, iff, join, not, noValue, ref, select, split, sub, type Intrinsic } from '../core/cfn';
import type { TemplateFragment } from '../core/template';
import { whenApiReady, type WorkerContext } from '../worker/context';
import { allow, readPrefectSecret } from '../worker/iam';
import { invokedBy, prefectEnvironment, ruleInvoking, stackFunction, type EnvironmentOf } from './lambda';
import { Cond, Param, Res } from '../core/ids';
import { MAX_WATCHED_REPOSITORIES, type ResolvedWorkerStackOptions } from '../parameters/options';

/** The SSM parameter that holds a manifest stored by the stack. */
export const STORED_MANIFEST_NAME = '/prefect-ecs-stack/${AWS::StackName}/manifest';

/**
 * Watched repositories plus the one the stack creates. When either is empty, the list gains an
 * empty name, which matches no push and no repository.
 */
const watchedRepositoryList = (): Intrinsic => split(',', join(',', [ref(Param.WatchedRepositories), ref(Param.EcrRepositoryName)]));

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
  const stored = { name: ref(Res.RegistrarManifest), arn: sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${STORED_MANIFEST_NAME}`) };
  return { name: iff(Cond.HasManifestParameter, own.name, stored.name), arn: iff(Cond.HasManifestParameter, own.arn, stored.arn) };
}

export function buildRegistrar(o: ResolvedWorkerStackOptions, ctx: WorkerContext): TemplateFragment {
  const manifest = manifestParameter(o);
  const environment: EnvironmentOf<typeof RegistrarEnv> = {
    ...prefectEnvironment(ctx.connection),
    [RegistrarEnv.ManifestParameter]: manifest.name,
    [RegistrarEnv.WorkPool]: ref(Param.WorkPoolName),
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
              Tier: 'Intelligent-Tiering',
              Description: `prefect.yaml with ecr_triggers, as JSON, for the registrar (from ${o.manifest.file}); an edit applies at once`,
              Value: o.manifest.json,
            }),
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
        timeoutSeconds: 120,
        reservedConcurrency: 1,
        // Prefect or AWS failures are retried, then the event lands in the dead-letter queue.
        asyncRetry: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
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
        }).condition(Cond.RegistrarEnabled),
      ),
      [Res.RegistrarRulePermission]: invokedBy(Res.RegistrarFunction, Res.RegistrarRule).condition(Cond.RegistrarEnabled),
      // Parameter Store Change events (https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-systems-manager-event-examples.html#SSM-Parameter-Store-event-types),
      // matched on the parameter's ARN in `resources`, which is written one way for plain and hierarchical names alike.
      [Res.RegistrarManifestRule]: whenApiReady(
        ctx,
        ruleInvoking(Res.RegistrarFunction, sub('Edits of the registrar manifest of ${AWS::StackName}'), {
          EventPattern: { source: ['aws.ssm'], 'detail-type': ['Parameter Store Change'], resources: [manifest.arn], detail: { operation: ['Create', 'Update'] } },
        }).condition(Cond.RegistrarEnabled),
      ),
      [Res.RegistrarManifestRulePermission]: invokedBy(Res.RegistrarFunction, Res.RegistrarManifestRule).condition(Cond.RegistrarEnabled),
    },
  };
}

/** The registrar rules' ARNs where the rules exist (for the dead-letter queue's policy). */
export const registrarRuleArns = () => [Res.RegistrarRule, Res.RegistrarManifestRule].map((rule) => iff(Cond.RegistrarEnabled, getAtt(rule, 'Arn'), noValue()));
