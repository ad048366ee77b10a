/**
 * The ECS event observer that Prefect's ECS worker expects: "ECS Task State Change" events of
 * this cluster go to an encrypted SQS queue (with a dead-letter queue) that the worker reads
 * (PREFECT_INTEGRATIONS_AWS_ECS_OBSERVER_*) to notice flow-run tasks that stop or crash.
 */
import { Events, SQS } from 'cloudform';
import { getAtt, ref, sub, type CfnValue } from '../core/cfn';
import type { TemplateFragment } from '../core/template';
import { clusterArnValue } from './ecs';
import { Res, type ResId } from '../core/ids';

/** Task events are only useful while fresh; unread ones expire after an hour. */
const OBSERVER_RETENTION_SECONDS = 3600;
const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

/**
 * An encrypted dead-letter queue. `allowAll` marks it as one (naming the source queue would be
 * a cycle); only queues of this account can use it anyway. A FIFO queue's must be FIFO too.
 */
export const deadLetterQueue = (options: { fifo?: boolean } = {}) =>
  new SQS.Queue({
    ...(options.fifo ? { FifoQueue: true } : {}),
    SqsManagedSseEnabled: true,
    MessageRetentionPeriod: DLQ_RETENTION_SECONDS,
    RedriveAllowPolicy: { redrivePermission: 'allowAll' },
  });

/** Refuses every request to the queue that does not use TLS. */
export const denyInsecureTransport = (queueArn: CfnValue) => ({
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 'sqs:*',
  Resource: queueArn,
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

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
      [Res.ObserverDeadLetterQueue]: deadLetterQueue(),
      [Res.ObserverQueue]: new SQS.Queue({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: OBSERVER_RETENTION_SECONDS,
        RedrivePolicy: { deadLetterTargetArn: getAtt(Res.ObserverDeadLetterQueue, 'Arn'), maxReceiveCount: 5 },
      }),
      [Res.ObserverRule]: new Events.Rule({
        Description: sub('ECS task state changes of the ${AWS::StackName} cluster, for the Prefect worker'),
        State: 'ENABLED',
        EventPattern: {
          source: ['aws.ecs'],
          'detail-type': ['ECS Task State Change'],
          detail: { clusterArn: [clusterArnValue()] },
        },
        Targets: [{ Id: 'prefect-ecs-observer', Arn: queueArn }],
      }),
      [Res.ObserverQueuePolicy]: eventBridgeMaySend(Res.ObserverQueue, 'OnlyThisRuleSends', getAtt(Res.ObserverRule, 'Arn'), [denyInsecureTransport(queueArn)]),
    },
  };
}

/**
 * The dead-letter queue of the stack's Lambdas: failed async invocations (the function's DLQ)
 * and events EventBridge could not deliver (the rules' DLQ). An alarm watches it.
 */
export function buildLambdaDeadLetterQueue(ruleArns: readonly CfnValue[]): TemplateFragment {
  return {
    Resources: {
      [Res.LambdaDeadLetterQueue]: deadLetterQueue(),
      [Res.LambdaDeadLetterQueuePolicy]: eventBridgeMaySend(
        Res.LambdaDeadLetterQueue,
        'UndeliverableEventsOfTheseRules',
        [...ruleArns],
      ),
    },
  };
}
