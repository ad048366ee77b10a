/**
 * The ECS event observer that Prefect's ECS worker expects: "ECS Task State Change" events of
 * this cluster go to an encrypted SQS queue (with a dead-letter queue) that the worker reads
 * (PREFECT_INTEGRATIONS_AWS_ECS_OBSERVER_*) to notice flow-run tasks that stop or crash.
 */
import { Events, SQS } from 'cloudform';
import { getAtt, join, keepOnDeleteAndReplace, ref, select, split, sub, type CfnValue, type Value } from '../core/cfn';
import type { TemplateFragment } from '../core/template';
import { clusterArnValue } from './ecs';
import { Res, type ResId } from '../core/ids';

/** Task events are only useful while fresh; unread ones expire after an hour. */
const OBSERVER_RETENTION_SECONDS = 3600;
const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

/**
 * A queue name unique per stack (the stack ID's UUID after a prefix), known before the queue
 * exists, so its dead-letter queue can name it as the only allowed source without a cycle.
 * A custom name has a cost: CloudFormation cannot replace a custom-named resource ("You can't
 * perform an update that causes a custom-named resource to be replaced",
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html), so a
 * later change to a replacement-only property of these queues (FifoQueue, the name) must also
 * change the prefix. Stacks from before issue 9 had generated names: their first update replaces
 * both queues (README "Upgrading an existing stack").
 */
export const stackUniqueQueueName = (prefix: string, suffix = '') => join('', [prefix, '-', select(2, split('/', ref('AWS::StackId'))), suffix]);
export const queueArnOfName = (name: CfnValue) => sub('arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Name}', { Name: name });

const observerQueueName = () => stackUniqueQueueName('prefect-ecs-observer');

/**
 * An encrypted dead-letter queue (SSE-SQS: writers need no KMS key policy); a FIFO queue's must
 * be FIFO too, and named (`queueName`): CloudFormation does not shorten the names it generates for
 * FIFO queues to SQS's 80 characters (aws-cloudformation/cloudformation-coverage-roadmap#280). Deleted with the stack: it holds failed events for diagnosis, not data.
 * `redriveAllow` says which SQS queues may use it as their dead-letter queue (it does not govern
 * EventBridge or Lambda, which send to it under the queue policy and their roles). `byQueue`
 * names a source queue that does not exist yet when the dead-letter queue is created; moto
 * accepts that, and no AWS page found says whether SQS checks more than the ARN's form
 * (unverified against SQS).
 */
export const deadLetterQueue = (
  redriveAllow: { redrivePermission: 'byQueue'; sourceQueueArns: CfnValue[] } | { redrivePermission: 'denyAll' },
  options: { fifo?: boolean; queueName?: Value<string> } = {},
) =>
  keepOnDeleteAndReplace(
    new SQS.Queue({
      ...(options.queueName ? { QueueName: options.queueName } : {}),
      ...(options.fifo ? { FifoQueue: true } : {}),
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: DLQ_RETENTION_SECONDS,
      RedriveAllowPolicy: redriveAllow,
    }),
    'Delete',
  );

/** SQS security best practice: refuse every request to the queue that does not use TLS. */
export const denyInsecureTransport = (queueArn: CfnValue) => ({
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 'sqs:*',
  Resource: queueArn,
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

/** A queue policy that only refuses requests without TLS (for queues nobody outside the account writes). */
export const tlsOnlyQueuePolicy = (queue: ResId) =>
  new SQS.QueuePolicy({ Queues: [ref(queue)], PolicyDocument: { Version: '2012-10-17', Statement: [denyInsecureTransport(getAtt(queue, 'Arn'))] } });

/** A queue policy that lets EventBridge send only on behalf of the named rules. */
export const eventBridgeMaySend = (queue: ResId, Sid: string, sourceRules: CfnValue, extraStatements: object[] = []) =>
  new SQS.QueuePolicy({
    Queues: [ref(queue)],
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid,
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: getAtt(queue, 'Arn'),
          Condition: { ArnEquals: { 'aws:SourceArn': sourceRules } },
        },
        ...extraStatements,
      ],
    },
  });

export function buildEcsObserver(): TemplateFragment {
  const queueArn = getAtt(Res.ObserverQueue, 'Arn');
  return {
    Resources: {
      [Res.ObserverDeadLetterQueue]: deadLetterQueue({ redrivePermission: 'byQueue', sourceQueueArns: [queueArnOfName(observerQueueName())] }),
      [Res.ObserverDeadLetterQueuePolicy]: tlsOnlyQueuePolicy(Res.ObserverDeadLetterQueue),
      [Res.ObserverQueue]: keepOnDeleteAndReplace(
        new SQS.Queue({
          QueueName: observerQueueName(),
          SqsManagedSseEnabled: true,
          MessageRetentionPeriod: OBSERVER_RETENTION_SECONDS,
          RedrivePolicy: { deadLetterTargetArn: getAtt(Res.ObserverDeadLetterQueue, 'Arn'), maxReceiveCount: 5 },
        }),
        'Delete',
      ),
      [Res.ObserverRule]: new Events.Rule({
        Description: sub('ECS task state changes of the ${AWS::StackName} cluster, for the Prefect worker'),
        State: 'ENABLED',
        EventPattern: {
          source: ['aws.ecs'],
          'detail-type': ['ECS Task State Change'],
          detail: { clusterArn: [clusterArnValue()] },
        },
        // Events EventBridge cannot deliver (a queue policy or quota problem) are kept, with an alarm.
        Targets: [{ Id: 'prefect-ecs-observer', Arn: queueArn, DeadLetterConfig: { Arn: getAtt(Res.LambdaDeadLetterQueue, 'Arn') } }],
      }),
      [Res.ObserverQueuePolicy]: eventBridgeMaySend(Res.ObserverQueue, 'OnlyThisRuleSends', getAtt(Res.ObserverRule, 'Arn'), [denyInsecureTransport(queueArn)]),
    },
  };
}

/**
 * The stack's dead-letter queue for everything that is not an SQS redrive: failed async
 * invocations of the Lambdas (their DLQ) and events EventBridge could not deliver (the rules'
 * DLQ). No SQS queue may redrive into it. An alarm watches it.
 */
export function buildLambdaDeadLetterQueue(ruleArns: readonly CfnValue[]): TemplateFragment {
  return {
    Resources: {
      [Res.LambdaDeadLetterQueue]: deadLetterQueue({ redrivePermission: 'denyAll' }),
      [Res.LambdaDeadLetterQueuePolicy]: eventBridgeMaySend(Res.LambdaDeadLetterQueue, 'UndeliverableEventsOfTheseRules', [...ruleArns], [
        denyInsecureTransport(getAtt(Res.LambdaDeadLetterQueue, 'Arn')),
      ]),
    },
  };
}
