import { InvalidEventError } from '../../../lambdas/common/errors';
import { isOfCluster, parseTrigger } from '../../../lambdas/scaler/parse';
import scheduled from '../../fixtures/events/scaler/scheduled.json';
import taskStopped from '../../fixtures/events/scaler/ecs-task-stopped.json';
import webhook from '../../fixtures/events/scaler/webhook.json';

describe('scaler trigger parsing', () => {
  it('reads the 1-minute schedule', () => {
    expect(parseTrigger(scheduled)).toEqual({ kind: 'schedule', time: '2026-11-21T12:00:00Z' });
  });

  it('reads an ECS task state change', () => {
    expect(parseTrigger(taskStopped)).toEqual({
      kind: 'task-state',
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prefect-cluster',
      taskArn: taskStopped.detail.taskArn,
      lastStatus: 'STOPPED',
    });
  });

  it('reads the webhook token from Authorization: Bearer or X-Webhook-Token', () => {
    expect(parseTrigger(webhook)).toEqual({ kind: 'webhook', method: 'POST', token: 'correct-horse-battery-staple' });
    const custom = { ...webhook, headers: { 'X-Webhook-Token': 'abc' } };
    expect(parseTrigger(custom)).toEqual({ kind: 'webhook', method: 'POST', token: 'abc' });
    expect(parseTrigger({ ...webhook, headers: {} })).toEqual({ kind: 'webhook', method: 'POST', token: undefined });
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'hello'],
    ['an array', [1, 2]],
    ['an S3 event', { Records: [{ eventSource: 'aws:s3' }] }],
    ['an ECS event without detail', { ...taskStopped, detail: undefined }],
    ['an ECS event without taskArn', { ...taskStopped, detail: { clusterArn: 'x', lastStatus: 'STOPPED' } }],
    ['a scheduled event from another source', { ...scheduled, source: 'custom.app' }],
  ])('rejects %s with InvalidEventError', (_name, event) => {
    expect(() => parseTrigger(event)).toThrow(InvalidEventError);
  });

  it('tells this cluster from another by name or ARN', () => {
    expect(isOfCluster('arn:aws:ecs:us-east-1:1:cluster/prefect-cluster', 'prefect-cluster')).toBe(true);
    expect(isOfCluster('arn:aws:ecs:us-east-1:1:cluster/other', 'prefect-cluster')).toBe(false);
    expect(isOfCluster('arn:aws:ecs:us-east-1:1:cluster/x-prefect-cluster', 'prefect-cluster')).toBe(false);
  });
});
