/**
 * The scaler's triggers: one FIFO queue that the 1-minute schedule, this cluster's flow-run task
 * state changes and the webhook function write to, drained by the scaler in batches.
 *
 * - One message group for every trigger: Lambda runs at most as many batches of a FIFO queue at
 *   once as there are message groups, so evaluations never overlap and no reserved concurrency
 *   throttles bursts (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html;
 *   https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagegroupid-property.html).
 *   A burst of task events waits in the queue instead of aging out of throttled retries.
 * - FIFO batches hold at most 10 messages and have no batching window
 *   (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html); the handler
 *   debounces instead (lambdas/scaler/triggers/debounce.ts).
 * - An EventBridge rule that targets a FIFO queue names the message group and needs the queue's
 *   content-based deduplication (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_SqsParameters.html).
 *   Its dead-letter queue must be a standard queue: the stack's shared one.
 * - Lambda needs the queue's visibility timeout to be at least the function timeout
 *   (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html). It advises six
 *   times, so that a batch Lambda throttles is retried before SQS hands it out again; here it is
 *   twice: after a crash or timeout of the function, the one message group waits out the
 *   visibility timeout and no evaluation runs meanwhile, and a redelivered trigger is harmless
 *   (the handler skips what the last evaluation saw). The handler keeps within a time budget
 *   (lambdas/scaler/budget.ts) so that it does not time out in the first place. Retention outlasts the three receives
 *   that send a failing batch to the dead-letter queue.
 */
import { Events, Lambda, SQS } from 'cloudform';
import { SCALER_TIMEOUT_SECONDS } from '../../lambdas/scaler/budget';
import { TRIGGER_MESSAGE_GROUP } from '../../lambdas/scaler/triggers/message';
import { getAtt, keepOnDeleteAndReplace, ref, sub, type Intrinsic } from '../core/cfn';
import { Res } from '../core/ids';
import type { TemplateFragment } from '../core/template';
import { whenApiReady, type WorkerContext } from '../worker/context';
import { clusterArnValue } from '../worker/ecs';
import { deadLetterQueue, denyInsecureTransport, eventBridgeMaySend, queueArnOfName, stackUniqueQueueName, tlsOnlyQueuePolicy } from '../worker/events';
import { deadLetterArrivalsAlarm } from '../worker/monitoring';
import { EVENT_RETRY } from './lambda';

const VISIBILITY_TIMEOUT_SECONDS = 2 * SCALER_TIMEOUT_SECONDS;
const BATCH_SIZE = 10;
/** A batch that crashed the function this often goes to the trigger dead-letter queue. */
const MAX_RECEIVES = 3;
/** Long enough for MAX_RECEIVES visibility timeouts; older triggers are worth nothing anyway. */
const TRIGGER_RETENTION_SECONDS = (MAX_RECEIVES + 2) * VISIBILITY_TIMEOUT_SECONDS;

function ruleQueueing(description: Intrinsic, trigger: { ScheduleExpression: string } | { EventPattern: object }) {
  return new Events.Rule({
    Description: description,
    State: 'ENABLED',
    ...trigger,
    Targets: [
      {
        Id: 'scaler-triggers',
        Arn: getAtt(Res.ScalerTriggerQueue, 'Arn'),
        SqsParameters: { MessageGroupId: TRIGGER_MESSAGE_GROUP },
        RetryPolicy: EVENT_RETRY,
        DeadLetterConfig: { Arn: getAtt(Res.LambdaDeadLetterQueue, 'Arn') },
      },
    ],
  });
}

/**
 * Both queues are named after the stack's ID (the trigger queue so that its dead-letter queue can
 * admit it alone, issue 9): a name CloudFormation generates from a long stack name can pass the 80
 * characters SQS allows, which it does not shorten for FIFO queues
 * (aws-cloudformation/cloudformation-coverage-roadmap#280, aws/aws-cdk#11041). Prefix, "-", the
 * 36-character UUID and ".fifo": 65 and 69 characters whatever the stack's name.
 */
export const TRIGGER_QUEUE_PREFIX = 'prefect-scaler-triggers';
export const TRIGGER_DLQ_PREFIX = 'prefect-scaler-triggers-dlq';
const triggerQueueName = () => stackUniqueQueueName(TRIGGER_QUEUE_PREFIX, '.fifo');

export function buildScalerTriggers(ctx: WorkerContext): TemplateFragment {
  const queueArn = getAtt(Res.ScalerTriggerQueue, 'Arn');
  return {
    Resources: {
      [Res.ScalerTriggerDeadLetterQueue]: deadLetterQueue(
        { redrivePermission: 'byQueue', sourceQueueArns: [queueArnOfName(triggerQueueName())] },
        { fifo: true, queueName: stackUniqueQueueName(TRIGGER_DLQ_PREFIX, '.fifo') },
      ),
      [Res.ScalerTriggerDeadLetterQueuePolicy]: tlsOnlyQueuePolicy(Res.ScalerTriggerDeadLetterQueue),
      [Res.ScalerTriggerQueue]: keepOnDeleteAndReplace(
        new SQS.Queue({
          QueueName: triggerQueueName(),
          FifoQueue: true,
          ContentBasedDeduplication: true,
          SqsManagedSseEnabled: true,
          MessageRetentionPeriod: TRIGGER_RETENTION_SECONDS,
          VisibilityTimeout: VISIBILITY_TIMEOUT_SECONDS,
          RedrivePolicy: { deadLetterTargetArn: getAtt(Res.ScalerTriggerDeadLetterQueue, 'Arn'), maxReceiveCount: MAX_RECEIVES },
        }),
        'Delete',
      ),
      [Res.ScalerTriggerQueuePolicy]: eventBridgeMaySend(
        Res.ScalerTriggerQueue,
        'OnlyTheScalerRulesSend',
        [getAtt(Res.ScalerScheduleRule, 'Arn'), getAtt(Res.ScalerTaskStateRule, 'Arn')],
        [denyInsecureTransport(queueArn)],
      ),
      [Res.ScalerScheduleRule]: ruleQueueing(sub('Scaler tick of ${AWS::StackName}'), { ScheduleExpression: 'rate(1 minute)' }),
      [Res.ScalerTaskStateRule]: ruleQueueing(sub('Flow-run tasks of ${AWS::StackName} starting or stopping'), {
        // Flow-run tasks are started by RunTask (group "family:..."); the worker's own tasks are
        // "service:..." and must not wake the scaler.
        EventPattern: {
          source: ['aws.ecs'],
          'detail-type': ['ECS Task State Change'],
          detail: { clusterArn: [clusterArnValue()], group: [{ prefix: 'family:' }], lastStatus: ['PENDING', 'RUNNING', 'STOPPED'] },
        },
      }),
      // Triggers wait in the queue until the Prefect API answers: earlier evaluations could only fail.
      [Res.ScalerTriggerMapping]: whenApiReady(
        ctx,
        new Lambda.EventSourceMapping({
          EventSourceArn: queueArn,
          FunctionName: ref(Res.ScalerFunction),
          BatchSize: BATCH_SIZE,
          Enabled: true,
        }),
      ),
      [Res.ScalerTriggerDeadLetterAlarm]: deadLetterArrivalsAlarm(
        Res.ScalerTriggerDeadLetterAlarm,
        Res.ScalerTriggerDeadLetterQueue,
        sub('Scaler triggers of ${AWS::StackName} failed the scaler function 3 times (crash or timeout): see its log group'),
      ),
    },
  };
}
