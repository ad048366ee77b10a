/**
 * The scaler's triggers on real queues: an EventBridge rule with the template's SQS target
 * (FIFO, one message group) and the webhook function write to a moto FIFO queue; the batch
 * Lambda would receive is read back with its attributes and served by the scaler handler
 * against moto ECS and the Prefect stand-in. Lambda's event source mapping itself needs Docker
 * in moto, so the test builds its SQS event from the received messages.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { CachedSecretReader } from '../../lambdas/common/aws/secrets';
import { createLogger } from '../../lambdas/common/log';
import { createPrefectClient } from '../../lambdas/common/prefect/client';
import { createWebhookHandler } from '../../lambdas/scaler-webhook/handler';
import { readScalerConfig } from '../../lambdas/scaler/config';
import { ScalerEnv } from '../../lambdas/scaler/env';
import { createScalerHandler } from '../../lambdas/scaler/handler';
import { Budget } from '../../lambdas/scaler/budget';
import { buildWorkerStack } from '../../templates/stacks/worker';
import webhook from '../fixtures/events/scaler/webhook.json';
import { scalerEnvironment } from '../fixtures/scalerEnvironment';
import { createSecret, createWorkerService, desiredCountOf } from '../support/motoEcs';
import { motoClientConfig, startMotoServer, type MotoServer } from '../support/motoServer';
import { PrefectStandIn } from '../support/prefectStandIn';
import type { Json } from '../support/template';

const TOKEN = 'correct-horse-battery-staple';
let moto: MotoServer;
let prefect: PrefectStandIn;

beforeAll(async () => {
  moto = await startMotoServer();
  prefect = await PrefectStandIn.start();
});

afterAll(async () => {
  await prefect?.close();
  await moto?.stop();
});

const asLambdaEvent = (messages: Message[], queueArn: string) => ({
  Records: messages.map((m) => ({ messageId: m.MessageId, receiptHandle: m.ReceiptHandle, body: m.Body, attributes: m.Attributes, eventSource: 'aws:sqs', eventSourceARN: queueArn })),
});

describe('scaler triggers through a FIFO queue', () => {
  it('delivers task events and webhook requests as one batch of one message group, deduplicating the webhook', async () => {
    const sqs = new SQSClient(motoClientConfig(moto));
    const template = buildWorkerStack() as unknown as Json;
    const queueProperties = template.Resources.ScalerTriggers.Properties;
    const queueUrl = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: 'scaler-triggers.fifo',
          Attributes: { FifoQueue: String(queueProperties.FifoQueue), ContentBasedDeduplication: String(queueProperties.ContentBasedDeduplication) },
        }),
      )
    ).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;

    // The task-state rule's target, as the template writes it (message group included).
    const events = new EventBridgeClient(motoClientConfig(moto));
    const target = template.Resources.ScalerTaskStateRule.Properties.Targets[0];
    await events.send(new PutRuleCommand({ Name: 'task-states', EventPattern: JSON.stringify({ source: ['aws.ecs'], 'detail-type': ['ECS Task State Change'] }) }));
    await events.send(new PutTargetsCommand({ Rule: 'task-states', Targets: [{ Id: target.Id, Arn: queueArn, SqsParameters: target.SqsParameters }] }));
    await events.send(
      new PutEventsCommand({
        Entries: [{ Source: 'aws.ecs', DetailType: 'ECS Task State Change', Detail: JSON.stringify({ clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/trigger-cluster', taskArn: 't1', lastStatus: 'STOPPED' }) }],
      }),
    );

    // The webhook, called three times within one 5-second window.
    const tokenArn = await createSecret(moto, 'webhook-token', TOKEN);
    const secrets = new CachedSecretReader(new SecretsManagerClient(motoClientConfig(moto)));
    const webhookHandler = createWebhookHandler({ queueUrl, tokenSecretArn: tokenArn }, { sqs, secrets, log: createLogger('scaler-webhook', () => undefined), now: () => new Date('2026-11-21T12:00:01Z') });
    for (let i = 0; i < 3; i++) expect((await webhookHandler(webhook)).statusCode).toBe(202);

    const received = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }))).Messages ?? [];
    expect(received).toHaveLength(2);
    expect(received.map((m) => m.Attributes?.MessageGroupId)).toEqual(['scaler', 'scaler']);

    await createWorkerService(moto, 'trigger-cluster', 'trigger-worker', 0);
    prefect.flowRuns = [{ id: 'r', work_pool_name: 'ecs-pool', work_queue_name: 'default', state_type: 'SCHEDULED', next_scheduled_start_time: new Date().toISOString() }];
    const config = readScalerConfig(scalerEnvironment({ [ScalerEnv.ApiUrl]: prefect.url, [ScalerEnv.Cluster]: 'trigger-cluster', [ScalerEnv.Service]: 'trigger-worker' }));
    const logs: Record<string, unknown>[] = [];
    const scaler = createScalerHandler(config, {
      ecs: new ECSClient(motoClientConfig(moto)),
      prefect: createPrefectClient(config.prefect, { secrets }),
      secrets,
      log: createLogger('scaler', (line) => logs.push(JSON.parse(line))),
      writeMetrics: () => undefined,
      now: () => new Date(),
      memory: {},
      budget: new Budget(),
    });
    expect(await scaler(asLambdaEvent(received, queueArn))).toMatchObject({ desired: 1, reason: 'scale-out' });
    expect(logs.find((l) => l.message === 'scaling decision')).toMatchObject({ triggers: ['task-state', 'webhook'] });
    expect(await desiredCountOf(moto, 'trigger-cluster', 'trigger-worker')).toBe(1);
    // The same messages again (a redelivery) were all sent before that evaluation started.
    expect(await scaler(asLambdaEvent(received, queueArn))).toEqual({ skipped: 'sent before the last evaluation started' });
    expect(prefect.validationErrors).toEqual([]);
  });
});
