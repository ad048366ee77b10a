import { InvalidEventError } from '../../../lambdas/common/errors';
import { webhookMessage } from '../../../lambdas/scaler/triggers/message';
import { isOfCluster, parseInvocation, parseTrigger } from '../../../lambdas/scaler/triggers/parse';
import scheduled from '../../fixtures/events/scaler/scheduled.json';
import taskStopped from '../../fixtures/events/scaler/ecs-task-stopped.json';
import { sqsBatch } from './handlerHarness';

describe('scaler trigger parsing', () => {
  it('reads the 1-minute schedule, an ECS task state change and the webhook message', () => {
    expect(parseTrigger(scheduled)).toEqual({ kind: 'schedule', time: '2026-11-21T12:00:00Z' });
    expect(parseTrigger(taskStopped)).toEqual({
      kind: 'task-state',
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prefect-cluster',
      taskArn: taskStopped.detail.taskArn,
      lastStatus: 'STOPPED',
    });
    expect(parseTrigger(JSON.parse(webhookMessage(new Date('2026-11-21T12:00:03Z')).body))).toEqual({ kind: 'webhook', time: '2026-11-21T12:00:03.000Z' });
  });

  it('reads a batch of the trigger queue with each message\'s send time', () => {
    const invocation = parseInvocation(sqsBatch([scheduled, 1000], [taskStopped, 2000]));
    expect(invocation).toEqual({
      kind: 'batch',
      triggers: [
        { trigger: expect.objectContaining({ kind: 'schedule' }), sentAt: 1000 },
        { trigger: expect.objectContaining({ kind: 'task-state' }), sentAt: 2000 },
      ],
      dropped: [],
    });
  });

  it('drops the bad messages of a batch and keeps the rest', () => {
    const batch = sqsBatch([scheduled, 1000], [{ hello: 'world' }, 1001]);
    (batch.Records as Record<string, unknown>[]).push({ eventSource: 'aws:sqs', messageId: 'not-json', body: '{nope', attributes: { SentTimestamp: '1002' } });
    (batch.Records as Record<string, unknown>[]).push({ eventSource: 'aws:sqs', messageId: 'no-time', body: JSON.stringify(scheduled), attributes: {} });
    const invocation = parseInvocation(batch);
    expect(invocation.kind === 'batch' && invocation.triggers).toHaveLength(1);
    expect(invocation.kind === 'batch' && invocation.dropped.map((d) => d.messageId)).toEqual(['m1', 'not-json', 'no-time']);
  });

  it('reads a single event invoked directly', () => {
    expect(parseInvocation(scheduled)).toEqual({ kind: 'direct', trigger: { kind: 'schedule', time: '2026-11-21T12:00:00Z' } });
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'hello'],
    ['an array', [1, 2]],
    ['an S3 event', { Records: [{ eventSource: 'aws:s3' }] }],
    ['an empty batch', { Records: [] }],
    ['an ECS event without detail', { ...taskStopped, detail: undefined }],
    ['an ECS event without taskArn', { ...taskStopped, detail: { clusterArn: 'x', lastStatus: 'STOPPED' } }],
    ['a scheduled event from another source', { ...scheduled, source: 'custom.app' }],
    ['a function URL request (the webhook has its own function now)', { requestContext: { http: { method: 'POST' } } }],
  ])('rejects %s', (_name, event) => {
    let outcome: unknown;
    try {
      const invocation = parseInvocation(event);
      outcome = invocation.kind === 'batch' && invocation.triggers.length === 0 ? 'all dropped' : invocation;
    } catch (error) {
      outcome = error instanceof InvalidEventError ? 'invalid' : error;
    }
    expect(['invalid', 'all dropped']).toContain(outcome);
  });

  it('tells this cluster from another by name or ARN', () => {
    expect(isOfCluster('arn:aws:ecs:us-east-1:1:cluster/prefect-cluster', 'prefect-cluster')).toBe(true);
    expect(isOfCluster('arn:aws:ecs:us-east-1:1:cluster/other', 'prefect-cluster')).toBe(false);
    expect(isOfCluster('arn:aws:ecs:us-east-1:1:cluster/x-prefect-cluster', 'prefect-cluster')).toBe(false);
  });
});
