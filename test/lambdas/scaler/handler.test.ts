import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import 'aws-sdk-client-mock-jest';
import { webhookMessage } from '../../../lambdas/scaler/triggers/message';
import scheduled from '../../fixtures/events/scaler/scheduled.json';
import taskStopped from '../../fixtures/events/scaler/ecs-task-stopped.json';
import { API_KEY, NOW, countsPrefect, harness, sqsBatch } from './handlerHarness';

const at = (seconds: number) => NOW.getTime() + seconds * 1000;

describe('scaler handler', () => {
  it('scales out from 0 for pending runs with exactly one UpdateService', async () => {
    const h = harness({ desired: 0, prefect: countsPrefect({ PENDING: 3, RUNNING: 2 }) });
    const result = await h.handler(scheduled);
    expect(result).toMatchObject({ desired: 1, previous: 0, reason: 'scale-out', changed: true });
    expect(h.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    expect(h.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: 'prefect-cluster', service: 'prefect-worker', desiredCount: 1 });
    expect(h.ecs).toHaveReceivedCommandWith(DescribeServicesCommand, { cluster: 'prefect-cluster', services: ['prefect-worker'] });
  });

  it('does not call UpdateService when the count is already right', async () => {
    const h = harness({ desired: 1, prefect: countsPrefect({ RUNNING: 12 }) });
    expect(await h.handler(scheduled)).toMatchObject({ desired: 1, changed: false, reason: 'steady' });
    expect(h.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 0);
  });

  it('reads the demand a second time before scaling to 0, and scales in when both readings agree', async () => {
    const h = harness({ desired: 1, config: { settings: { minWorkers: 0, maxWorkers: 3, submissionsPerWorker: 10, lookaheadSeconds: 300, idleGraceSeconds: 0 } }, prefect: countsPrefect({}) });
    expect(await h.handler(taskStopped)).toMatchObject({ desired: 0, reason: 'scale-in', confirmed: true });
    expect(h.prefectRequests.filter((r) => r.request.url.endsWith('/work_pools/ecs-pool'))).toHaveLength(2);
    expect(h.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { desiredCount: 0 });
  });

  it('keeps the worker when the second reading finds a run the first one missed', async () => {
    let reading = 0;
    const h = harness({
      desired: 1,
      prefect: (request, body) => {
        if (request.url.endsWith('/work_pools/ecs-pool')) reading++;
        return countsPrefect(reading === 2 ? { RUNNING: 1 } : {})(request, body);
      },
    });
    expect(await h.handler(scheduled)).toMatchObject({ desired: 1, reason: 'steady' });
    expect(h.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 0);
  });

  it('logs every decision with its inputs and emits embedded metrics', async () => {
    const h = harness({ desired: 0, prefect: countsPrefect({ SCHEDULED: 1 }) });
    await h.handler(scheduled);
    const decision = h.logs.find((l) => l.message === 'scaling decision')!;
    expect(decision).toMatchObject({
      level: 'INFO',
      triggers: ['schedule'],
      previous: 0,
      desired: 1,
      reason: 'scale-out',
      demand: { due: 1, dueNow: 1, pending: 0, running: 0, cancelling: 0 },
      settings: { maxWorkers: 3, submissionsPerWorker: 10 },
    });
    const [metrics] = h.metrics as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(metrics._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'PrefectEcsStack', Dimensions: [['StackName', 'WorkPool']] });
    expect(metrics).toMatchObject({ StackName: 'prefect-workers', WorkPool: 'ecs-pool', DueRuns: 1, BacklogRuns: 1, DesiredWorkers: 1, ScaleActions: 1, DemandUnreadable: 0 });
  });

  it('sends the API key as a Bearer token and never logs it', async () => {
    const h = harness({ desired: 0, prefect: countsPrefect({}) });
    await h.handler(scheduled);
    expect(h.prefectRequests[0]!.request.headers.get('authorization')).toBe(`Bearer ${API_KEY}`);
    expect(JSON.stringify(h.logs)).not.toContain(API_KEY);
  });

  it('sends a self-hosted auth string as Basic', async () => {
    const h = harness({
      config: { prefect: { apiUrl: 'http://prefect.internal:4200/api', authMode: 'auth-string', secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prefect-AbCdEf' } },
      prefect: countsPrefect({}),
    });
    await h.handler(scheduled);
    expect(h.prefectRequests[0]!.request.headers.get('authorization')).toBe(`Basic ${Buffer.from(API_KEY).toString('base64')}`);
  });

  it.each<[string, () => Response]>([
    ['500 on every attempt', () => new Response('{"detail":"boom"}', { status: 500 })],
    ['401', () => Response.json({ detail: 'Unauthorized' }, { status: 401 })],
    ['invalid JSON', () => new Response('<html>gateway</html>', { status: 200, headers: { 'content-type': 'application/json' } })],
    ['a pool that is not an object', () => Response.json('ecs-pool')],
  ])('keeps the current count when Prefect answers %s', async (_name, answer) => {
    const h = harness({ desired: 2, prefect: answer });
    expect(await h.handler(scheduled)).toMatchObject({ desired: 2, reason: 'demand-unreadable', changed: false });
    expect(h.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 0);
    expect(h.logs.find((l) => l.level === 'WARN')!.message).toBe('demand unreadable: keeping the current worker count');
    expect(h.metrics[0]).toMatchObject({ DemandUnreadable: 1 });
  });

  it('keeps the current count when a count is not a number', async () => {
    const h = harness({ desired: 2, prefect: (request, body) => (request.url.endsWith('/count') ? Response.json({ count: 3 }) : countsPrefect({})(request, body)) });
    expect(await h.handler(scheduled)).toMatchObject({ desired: 2, reason: 'demand-unreadable' });
  });

  it('keeps the count when Prefect does not answer in time', async () => {
    const h = harness({ desired: 1, prefect: () => new Promise<Response>(() => undefined) });
    expect(await h.handler(scheduled)).toMatchObject({ desired: 1, reason: 'demand-unreadable' });
    expect(h.logs.find((l) => l.level === 'WARN')!.error).toMatch(/timed out after 200 ms/);
  });

  it('retries a 429 and a 503, then uses the answer', async () => {
    let calls = 0;
    const h = harness({
      desired: 0,
      prefect: (request, body) => {
        calls++;
        if (calls === 1) return new Response('slow down', { status: 429, headers: { 'retry-after': '1' } });
        if (calls === 2) return new Response('unavailable', { status: 503 });
        return countsPrefect({ PENDING: 1 })(request, body);
      },
    });
    expect(await h.handler(scheduled)).toMatchObject({ desired: 1, reason: 'scale-out' });
  });

  it('reads the credential again after a 401 (it may have been rotated)', async () => {
    const h = harness({ desired: 0, prefect: () => Response.json({ detail: 'Unauthorized' }, { status: 401 }) });
    await h.handler(scheduled);
    await h.handler(scheduled);
    expect(h.sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prefect-AbCdEf' });
    expect(h.sm.commandCalls(GetSecretValueCommand).length).toBeGreaterThanOrEqual(2);
  });

  it.each<[string, unknown]>([
    ['garbage', { hello: 'world' }],
    ['null', null],
    ['a task of another cluster', { ...taskStopped, detail: { ...taskStopped.detail, clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/other' } }],
  ])('drops %s without an AWS call and without throwing', async (_name, event) => {
    const h = harness({ prefect: countsPrefect({}) });
    expect(await h.handler(event)).toHaveProperty('dropped');
    expect(h.ecs.calls()).toHaveLength(0);
    expect(h.prefectRequests).toHaveLength(0);
    expect(h.logs[0]).toMatchObject({ level: 'WARN', message: 'dropped event' });
  });

  it('fails loudly on a direct invocation when the service is missing', async () => {
    const h = harness({ prefect: countsPrefect({}) });
    h.ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });
    await expect(h.handler(scheduled)).rejects.toThrow('worker service prefect-worker in cluster prefect-cluster not found (MISSING)');
  });
});

describe('scaler handler on its trigger queue', () => {
  it('evaluates once for a batch of several triggers and names them all', async () => {
    const h = harness({ desired: 0, prefect: countsPrefect({ SCHEDULED: 2 }) });
    const webhook = JSON.parse(webhookMessage(NOW).body);
    const result = await h.handler(sqsBatch([taskStopped, at(-3)], [webhook, at(-2)], [scheduled, at(-1)]));
    expect(result).toMatchObject({ desired: 1, reason: 'scale-out' });
    expect(h.logs.find((l) => l.message === 'scaling decision')!.triggers).toEqual(['task-state', 'webhook', 'schedule']);
    expect(h.ecs).toHaveReceivedCommandTimes(DescribeServicesCommand, 1);
  });

  it('skips a batch the last evaluation already saw, with no AWS or Prefect call', async () => {
    const h = harness({ prefect: countsPrefect({}), memory: { lastEvaluationStartedAt: at(0) } });
    expect(await h.handler(sqsBatch([taskStopped, at(-5)], [taskStopped, at(-1)]))).toEqual({ skipped: 'sent before the last evaluation started' });
    expect(h.ecs.calls()).toHaveLength(0);
    expect(h.prefectRequests).toHaveLength(0);
  });

  it('debounces task events: waits out the interval since the last evaluation, then evaluates', async () => {
    const h = harness({ desired: 1, prefect: countsPrefect({ RUNNING: 3 }), memory: { lastEvaluationStartedAt: at(-4) } });
    await h.handler(sqsBatch([taskStopped, at(-1)]));
    expect(h.sleeps).toEqual([6000]);
    expect(h.memory.lastEvaluationStartedAt).toBe(at(0));
  });

  it('never fails a batch: a failed evaluation is logged and counted, so the FIFO group is not held back', async () => {
    const h = harness({ prefect: countsPrefect({ PENDING: 1 }) });
    h.ecs.on(UpdateServiceCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    expect(await h.handler(sqsBatch([scheduled, at(0)]))).toEqual({ failed: 'Rate exceeded' });
    expect(h.logs.find((l) => l.level === 'ERROR')).toMatchObject({ message: 'evaluation failed', error: 'Rate exceeded' });
    expect(h.metrics.at(-1)).toMatchObject({ EvaluationFailures: 1, StackName: 'prefect-workers', WorkPool: 'ecs-pool' });
  });

  it('drops the malformed messages of a batch and serves the rest', async () => {
    const h = harness({ desired: 0, prefect: countsPrefect({ PENDING: 1 }) });
    expect(await h.handler(sqsBatch([{ hello: 'world' }, at(0)], [scheduled, at(0)]))).toMatchObject({ desired: 1 });
    expect(h.logs.find((l) => l.message === 'dropped event')).toMatchObject({ messageId: 'm0' });
  });
});
