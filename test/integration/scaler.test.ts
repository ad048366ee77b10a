/**
 * The scaler end to end on real parts: the handler with real AWS SDK clients against
 * moto_server (a real ECS service whose desiredCount changes, a real Secrets Manager secret)
 * and the Prefect stand-in, which validates every request against the OpenAPI schema.
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createLogger } from '../../lambdas/common/log';
import { createPrefectClient } from '../../lambdas/common/prefect/client';
import { CachedSecretReader } from '../../lambdas/common/aws/secrets';
import { readScalerConfig } from '../../lambdas/scaler/config';
import { ScalerEnv } from '../../lambdas/scaler/env';
import { scalerEnvironment } from '../fixtures/scalerEnvironment';
import { createScalerHandler } from '../../lambdas/scaler/handler';
import scheduled from '../fixtures/events/scaler/scheduled.json';
import taskStopped from '../fixtures/events/scaler/ecs-task-stopped.json';
import { createSecret, createWorkerService, desiredCountOf } from '../support/motoEcs';
import { motoClientConfig, startMotoServer, type MotoServer } from '../support/motoServer';
import { PrefectStandIn, type StandInFlowRun } from '../support/prefectStandIn';

const API_KEY = 'pnu_integration_key';
const NOW = new Date('2026-11-21T12:00:00Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000).toISOString();

let moto: MotoServer;
let prefect: PrefectStandIn;
let secretArn: string;
let serviceSeq = 0;

beforeAll(async () => {
  moto = await startMotoServer();
  prefect = await PrefectStandIn.start(`Bearer ${API_KEY}`);
  secretArn = await createSecret(moto, 'prefect-api-key', API_KEY);
});

afterAll(async () => {
  await prefect?.close();
  await moto?.stop();
});

async function scalerFor(options: { desired?: number; queues?: string; now?: () => Date; timeoutMs?: number } = {}) {
  const service = `prefect-worker-${++serviceSeq}`;
  await createWorkerService(moto, 'prefect-cluster', service, options.desired ?? 0);
  const config = readScalerConfig(
    scalerEnvironment({
      [ScalerEnv.ApiUrl]: prefect.url,
      [ScalerEnv.AuthMode]: 'api-key',
      [ScalerEnv.SecretArn]: secretArn,
      [ScalerEnv.WorkQueues]: options.queues ?? '',
      [ScalerEnv.Service]: service,
    }),
  );
  const logs: Record<string, unknown>[] = [];
  const secrets = new CachedSecretReader(new SecretsManagerClient(motoClientConfig(moto)));
  const handler = createScalerHandler(config, {
    ecs: new ECSClient(motoClientConfig(moto)),
    prefect: createPrefectClient(config.prefect, { secrets, http: { timeoutMs: options.timeoutMs ?? 2000, attempts: 3, baseDelayMs: 20 } }),
    secrets,
    log: createLogger('scaler', (line) => logs.push(JSON.parse(line))),
    writeMetrics: () => undefined,
    now: options.now ?? (() => NOW),
  });
  return { handler, service, logs, desired: () => desiredCountOf(moto, 'prefect-cluster', service) };
}

const run = (id: string, fields: Partial<StandInFlowRun>): StandInFlowRun => ({
  id,
  work_pool_name: 'ecs-pool',
  work_queue_name: 'default',
  state_type: 'SCHEDULED',
  ...fields,
});

beforeEach(() => {
  prefect.flowRuns = [];
  prefect.requests.length = 0;
  prefect.validationErrors.length = 0;
});

afterEach(() => {
  // Every request any test made was one the real server accepts, and none polled like a worker.
  expect(prefect.validationErrors).toEqual([]);
  expect(prefect.requests.filter((r) => r.path.includes('get_scheduled_flow_runs') || r.path.includes('heartbeat'))).toEqual([]);
});

describe('scaler against moto ECS and the Prefect stand-in', () => {
  it('wakes workers from 0 for runs due within the look-ahead, counting Late runs but not far-future ones', async () => {
    prefect.flowRuns = [
      run('late', { state_name: 'Late', next_scheduled_start_time: at(-600) }),
      ...['a', 'b', 'c', 'd'].map((id) => run(id, { next_scheduled_start_time: at(120) })),
      run('tomorrow', { next_scheduled_start_time: at(86_400) }),
      run('other-pool', { work_pool_name: 'gpu-pool', next_scheduled_start_time: at(60) }),
    ];
    const s = await scalerFor();
    const result = await s.handler(scheduled);
    expect(result).toMatchObject({ desired: 2, previous: 0, reason: 'scale-out' });
    expect(await s.desired()).toBe(2);
    expect(prefect.requestsTo('/flow_runs/count')).toHaveLength(5);
    expect(prefect.requests.every((r) => r.authorization === `Bearer ${API_KEY}`)).toBe(true);
  });

  it('holds through the idle grace after the last run ended, then scales to zero', async () => {
    let now = NOW;
    prefect.flowRuns = [run('done', { state_type: 'COMPLETED', end_time: at(-30) })];
    const s = await scalerFor({ desired: 1, now: () => now });
    expect(await s.handler(taskStopped)).toMatchObject({ desired: 1, reason: 'idle-grace' });
    now = new Date(NOW.getTime() + 120_000);
    expect(await s.handler(scheduled)).toMatchObject({ desired: 0, reason: 'scale-in' });
    expect(await s.desired()).toBe(0);
  });

  it('counts only the stack\'s work queues when they are given', async () => {
    prefect.flowRuns = [run('a', { state_type: 'PENDING', work_queue_name: 'critical' }), run('b', { state_type: 'PENDING', work_queue_name: 'bulk' })];
    const s = await scalerFor({ queues: 'critical' });
    await s.handler(scheduled);
    expect(await s.desired()).toBe(1);
    expect(prefect.requestsTo('/flow_runs/count')[0]!.body).toMatchObject({ work_pool_queues: { name: { any_: ['critical'] } } });
  });

  it.each([
    ['503 on every attempt', { status: 503, times: 100 }],
    ['invalid JSON', { status: 200, body: 'not json', times: 100 }],
    ['401', { status: 401, body: '{"detail":"Unauthorized"}', times: 100 }],
    ['a slow answer past the timeout', { delayMs: 1500, times: 100 }],
  ])('keeps the current count when Prefect gives %s', async (_name, fault) => {
    prefect.flowRuns = [];
    prefect.injectFault({ path: /flow_runs\/count/, ...fault });
    const s = await scalerFor({ desired: 2, timeoutMs: 500 });
    expect(await s.handler(scheduled)).toMatchObject({ desired: 2, reason: 'demand-unreadable', changed: false });
    expect(await s.desired()).toBe(2);
    expect(s.logs.some((l) => l.message === 'demand unreadable: keeping the current worker count')).toBe(true);
    prefect.clearFaults();
  });

  it('waits as long as Retry-After says on a 429 and then scales', async () => {
    prefect.flowRuns = [run('p', { state_type: 'PENDING' })];
    prefect.injectFault({ path: /flow_runs\/count/, status: 429, headers: { 'retry-after': '1' }, times: 1 });
    const s = await scalerFor();
    await s.handler(scheduled);
    expect(await s.desired()).toBe(1);
    const counts = prefect.requestsTo('/flow_runs/count');
    expect(counts).toHaveLength(6); // five kinds of demand, one of them asked twice
    expect(counts[5]!.receivedAt - counts[0]!.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it('gives the same result for concurrent triggers as for one', async () => {
    prefect.flowRuns = Array.from({ length: 9 }, (_, i) => run(`r${i}`, { state_type: 'RUNNING' }));
    const s = await scalerFor();
    const results = await Promise.all([s.handler(scheduled), s.handler(taskStopped), s.handler(scheduled), s.handler(taskStopped)]);
    expect(new Set(results.map((r) => (r as { desired: number }).desired))).toEqual(new Set([3]));
    expect(await s.desired()).toBe(3);
  });

  it('fails loudly when the service does not exist', async () => {
    const config = readScalerConfig(scalerEnvironment({ [ScalerEnv.ApiUrl]: prefect.url, [ScalerEnv.Service]: 'no-such-service' }));
    const missing = createScalerHandler(config, {
      ecs: new ECSClient(motoClientConfig(moto)),
      prefect: createPrefectClient(config.prefect, { secrets: new CachedSecretReader(new SecretsManagerClient(motoClientConfig(moto))) }),
      secrets: new CachedSecretReader(new SecretsManagerClient(motoClientConfig(moto))),
      log: createLogger('scaler', () => undefined),
      writeMetrics: () => undefined,
      now: () => NOW,
    });
    await expect(missing(scheduled)).rejects.toThrow(/worker service no-such-service in cluster prefect-cluster not found/);
  });
});
