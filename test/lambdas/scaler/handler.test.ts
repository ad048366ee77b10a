import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import 'aws-sdk-client-mock-jest';
import scheduled from '../../fixtures/events/scaler/scheduled.json';
import taskStopped from '../../fixtures/events/scaler/ecs-task-stopped.json';
import webhook from '../../fixtures/events/scaler/webhook.json';
import { API_KEY, WEBHOOK_TOKEN, countsPrefect, harness } from './handlerHarness';

describe('scaler handler', () => {
  it('scales out from 0 to cover 5 pending runs with exactly one UpdateService', async () => {
    const h = harness({ desired: 0, prefect: countsPrefect({ PENDING: 3, RUNNING: 2 }) });
    const result = await h.handler(scheduled);
    expect(result).toMatchObject({ desired: 2, previous: 0, reason: 'scale-out', changed: true });
    expect(h.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    expect(h.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: 'prefect-cluster', service: 'prefect-worker', desiredCount: 2 });
    expect(h.ecs).toHaveReceivedCommandWith(DescribeServicesCommand, { cluster: 'prefect-cluster', services: ['prefect-worker'] });
  });

  it('does not call UpdateService when the count is already right', async () => {
    const h = harness({ desired: 1, prefect: countsPrefect({ RUNNING: 1 }) });
    expect(await h.handler(scheduled)).toMatchObject({ desired: 1, changed: false, reason: 'steady' });
    expect(h.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 0);
  });

  it('re-evaluates on an ECS task state change of its cluster', async () => {
    const h = harness({ desired: 1, prefect: countsPrefect({}) });
    expect(await h.handler(taskStopped)).toMatchObject({ desired: 0, reason: 'scale-in' });
    expect(h.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { desiredCount: 0 });
  });

  it('logs every decision with its inputs and emits embedded metrics', async () => {
    const h = harness({ desired: 0, prefect: countsPrefect({ SCHEDULED: 1 }) });
    await h.handler(scheduled);
    const decision = h.logs.find((l) => l.message === 'scaling decision')!;
    expect(decision).toMatchObject({
      level: 'INFO',
      trigger: 'schedule',
      previous: 0,
      desired: 1,
      reason: 'scale-out',
      demand: { dueSoon: 1, pending: 0, running: 0, cancelling: 0, endedWithinGrace: false },
      settings: { maxWorkers: 3, runsPerWorker: 4 },
    });
    const [metrics] = h.metrics as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(metrics._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'PrefectEcsStack', Dimensions: [['StackName', 'WorkPool']] });
    expect(metrics).toMatchObject({ StackName: 'prefect-workers', WorkPool: 'ecs-pool', DueRuns: 1, DesiredWorkers: 1, ScaleActions: 1, DemandUnreadable: 0 });
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
    ['a count that is not a number', () => Response.json({ count: 3 })],
  ])('keeps the current count when Prefect answers %s', async (_name, answer) => {
    const h = harness({ desired: 2, prefect: answer });
    expect(await h.handler(scheduled)).toMatchObject({ desired: 2, reason: 'demand-unreadable', changed: false });
    expect(h.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 0);
    expect(h.logs.find((l) => l.level === 'WARN')!.message).toBe('demand unreadable: keeping the current worker count');
    expect(h.metrics[0]).toMatchObject({ DemandUnreadable: 1 });
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

  it('fails loudly (for the retry and the DLQ) when the service is missing', async () => {
    const h = harness({ prefect: countsPrefect({}) });
    h.ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });
    await expect(h.handler(scheduled)).rejects.toThrow('worker service prefect-worker in cluster prefect-cluster not found (MISSING)');
  });

  it('fails when ECS keeps throttling UpdateService', async () => {
    const h = harness({ desired: 0, prefect: countsPrefect({ PENDING: 1 }) });
    h.ecs.on(UpdateServiceCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(h.handler(scheduled)).rejects.toThrow('Rate exceeded');
  });
});

describe('scaler webhook', () => {
  it('evaluates at once for the right token and answers 200 with the decision', async () => {
    const h = harness({ desired: 0, prefect: countsPrefect({ SCHEDULED: 1 }) });
    const response = (await h.handler(webhook)) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ desired: 1, previous: 0, reason: 'scale-out', changed: true });
  });

  it.each<[string, Record<string, string>]>([
    ['a wrong token', { authorization: 'Bearer wrong' }],
    ['no token', {}],
    ['the token with one character more', { authorization: `Bearer ${WEBHOOK_TOKEN}x` }],
  ])('rejects %s with 401 and no ECS or Prefect call', async (_name, headers) => {
    const h = harness({ prefect: countsPrefect({}) });
    await h.secrets.get('arn:aws:secretsmanager:us-east-1:123456789012:secret:webhook-token-AbCdEf'); // what index.ts does at cold start
    const secretCalls = h.sm.calls().length;
    const response = (await h.handler({ ...webhook, headers })) as { statusCode: number };
    expect(response.statusCode).toBe(401);
    expect(h.ecs.calls()).toHaveLength(0);
    expect(h.prefectRequests).toHaveLength(0);
    expect(h.sm.calls()).toHaveLength(secretCalls);
    expect(JSON.stringify(h.logs)).not.toContain(WEBHOOK_TOKEN);
  });

  it('answers 405 to anything but POST and 404 when the webhook is off', async () => {
    const h = harness({ prefect: countsPrefect({}) });
    const get = { ...webhook, requestContext: { ...webhook.requestContext, http: { ...webhook.requestContext.http, method: 'GET' } } };
    expect(((await h.handler(get)) as { statusCode: number }).statusCode).toBe(405);
    const off = harness({ config: { webhookTokenSecretArn: undefined }, prefect: countsPrefect({}) });
    expect(((await off.handler(webhook)) as { statusCode: number }).statusCode).toBe(404);
  });

  it('answers 503 instead of throwing when the evaluation fails', async () => {
    const h = harness({ prefect: countsPrefect({}) });
    h.ecs.on(DescribeServicesCommand).rejects(new Error('ECS down'));
    expect(((await h.handler(webhook)) as { statusCode: number }).statusCode).toBe(503);
  });
});
