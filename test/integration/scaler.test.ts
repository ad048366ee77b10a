/**
 * The scaler end to end on real parts: the handler with real AWS SDK clients against
 * moto_server (a real ECS service whose desiredCount changes, real flow-run tasks with tags, a
 * real Secrets Manager secret) and the Prefect stand-in, which validates every request against
 * the OpenAPI schema and answers with Prefect's semantics (pools, queues, limits, states, the
 * 422 of older servers).
 */
import { ECSClient } from '@aws-sdk/client-ecs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createLogger } from '../../lambdas/common/log';
import { createPrefectClient } from '../../lambdas/common/prefect/client';
import { CachedSecretReader } from '../../lambdas/common/aws/secrets';
import { readScalerConfig } from '../../lambdas/scaler/config';
import { ScalerEnv } from '../../lambdas/scaler/env';
import type { Evaluation, ScalerMemory } from '../../lambdas/scaler/evaluate';
import { createScalerHandler } from '../../lambdas/scaler/handler';
import { Budget } from '../../lambdas/scaler/budget';
import { scalerEnvironment } from '../fixtures/scalerEnvironment';
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

async function scalerFor(options: { desired?: number; queues?: string; timeoutMs?: number; env?: Record<string, string>; memory?: ScalerMemory } = {}) {
  const service = `prefect-worker-${++serviceSeq}`;
  await createWorkerService(moto, 'prefect-cluster', service, options.desired ?? 0);
  const config = readScalerConfig(
    scalerEnvironment({
      [ScalerEnv.ApiUrl]: prefect.url,
      [ScalerEnv.AuthMode]: 'api-key',
      [ScalerEnv.SecretArn]: secretArn,
      [ScalerEnv.WorkQueues]: options.queues ?? '',
      [ScalerEnv.Service]: service,
      ...options.env,
    }),
  );
  const logs: Record<string, unknown>[] = [];
  const metrics: Record<string, unknown>[] = [];
  const secrets = new CachedSecretReader(new SecretsManagerClient(motoClientConfig(moto)));
  const memory = options.memory ?? {};
  const budget = new Budget();
  const handler = createScalerHandler(config, {
    ecs: new ECSClient(motoClientConfig(moto)),
    prefect: createPrefectClient(config.prefect, { secrets, http: { timeoutMs: options.timeoutMs ?? 2000, attempts: 3, baseDelayMs: 20, deadlineAt: budget.prefectDeadlineAt } }),
    secrets,
    log: createLogger('scaler', (line) => logs.push(JSON.parse(line))),
    writeMetrics: (line) => metrics.push(line),
    now: () => NOW,
    memory,
    budget,
  });
  return { handler, service, logs, metrics, memory, desired: () => desiredCountOf(moto, 'prefect-cluster', service) };
}

const run = (id: string, fields: Partial<StandInFlowRun>): StandInFlowRun => ({
  id,
  work_pool_name: 'ecs-pool',
  work_queue_name: 'default',
  state_type: 'SCHEDULED',
  ...fields,
});
const dueRuns = (count: number, fields: Partial<StandInFlowRun> = {}) =>
  Array.from({ length: count }, (_, i) => run(`due-${i}`, { next_scheduled_start_time: at(-30), ...fields }));

beforeEach(() => {
  prefect.flowRuns = [];
  prefect.pools = {};
  prefect.serverVersion = '3.6.28';
  prefect.now = () => NOW;
  prefect.afterRequest.length = 0;
  prefect.requests.length = 0;
  prefect.validationErrors.length = 0;
});

afterEach(() => {
  // Every request any test made was one the real server accepts, and none polled like a worker.
  expect(prefect.validationErrors).toEqual([]);
  expect(prefect.requests.filter((r) => r.path.includes('get_scheduled_flow_runs') || r.path.includes('heartbeat'))).toEqual([]);
});

describe('demand of the real worker', () => {
  it('wakes one worker for runs due within the look-ahead, counting Late runs but not far-future or other pools\' ones', async () => {
    prefect.flowRuns = [
      run('late', { state_name: 'Late', next_scheduled_start_time: at(-600) }),
      ...['a', 'b', 'c', 'd'].map((id) => run(id, { next_scheduled_start_time: at(120) })),
      run('tomorrow', { next_scheduled_start_time: at(86_400) }),
      run('other-pool', { work_pool_name: 'gpu-pool', next_scheduled_start_time: at(60) }),
    ];
    const s = await scalerFor();
    expect(await s.handler(scheduled)).toMatchObject({ desired: 1, previous: 0, reason: 'scale-out', demand: { due: 5, dueNow: 1 } });
    expect(await s.desired()).toBe(1);
    expect(prefect.requests.every((r) => r.authorization === `Bearer ${API_KEY}`)).toBe(true);
  });

  it('keeps one worker, not three, for 24 six-hour runs once they are running', async () => {
    prefect.flowRuns = Array.from({ length: 24 }, (_, i) => run(`long-${i}`, { state_type: 'RUNNING' }));
    const s = await scalerFor({ desired: 3 });
    expect(await s.handler(scheduled)).toMatchObject({ desired: 1, reason: 'scale-in' });
  });

  it('wakes every worker for a burst the fleet cannot take in one poll', async () => {
    prefect.flowRuns = dueRuns(400);
    const s = await scalerFor();
    expect(await s.handler(scheduled)).toMatchObject({ desired: 3, reason: 'scale-out', backlog: 400 });
  });

  it('wakes workers ahead for runs due at the same moment, and one for the same runs spread out', async () => {
    prefect.flowRuns = Array.from({ length: 24 }, (_, i) => run(`at-once-${i}`, { next_scheduled_start_time: at(100) }));
    expect(await (await scalerFor()).handler(scheduled)).toMatchObject({ desired: 3, demand: { peakAhead: 24 } });
    prefect.flowRuns = Array.from({ length: 24 }, (_, i) => run(`spread-${i}`, { next_scheduled_start_time: at(20 + i * 10) }));
    expect(await (await scalerFor()).handler(scheduled)).toMatchObject({ desired: 1, demand: { peakAhead: 1 } });
  });

  it('holds one worker through the idle grace after the last run ended, then scales to zero', async () => {
    prefect.flowRuns = [run('done', { state_type: 'COMPLETED', end_time: at(-30) })];
    const s = await scalerFor({ desired: 1 });
    expect(await s.handler(taskStopped)).toMatchObject({ desired: 1, reason: 'idle-grace' });
    prefect.flowRuns = [run('done', { state_type: 'COMPLETED', end_time: at(-300) })];
    expect(await s.handler(scheduled)).toMatchObject({ desired: 0, reason: 'scale-in', confirmed: true });
    expect(await s.desired()).toBe(0);
  });

  it('counts only the stack\'s work queues when they are given', async () => {
    prefect.flowRuns = [run('a', { state_type: 'PENDING', work_queue_name: 'critical' }), run('b', { state_type: 'PENDING', work_queue_name: 'bulk' })];
    const s = await scalerFor({ queues: 'critical' });
    expect(await s.handler(scheduled)).toMatchObject({ desired: 1, demand: { pending: 1 } });
    expect(prefect.requestsTo('/flow_runs/count').find((r) => JSON.stringify(r.body).includes('PENDING'))!.body).toMatchObject({ work_pool_queues: { name: { any_: ['critical'] } } });
  });
});

describe('runs no worker can take wake nothing', () => {
  it('a paused work pool', async () => {
    prefect.flowRuns = dueRuns(3);
    prefect.pools = { 'ecs-pool': { is_paused: true } };
    const s = await scalerFor();
    expect(await s.handler(scheduled)).toMatchObject({ desired: 0, demand: { due: 0, untakeable: 3 } });
    expect(s.metrics[0]).toMatchObject({ UntakeableRuns: 3, DueRuns: 0 });
  });

  it('a paused work queue, while another queue\'s runs still wake a worker', async () => {
    prefect.pools = { 'ecs-pool': { queues: [{ name: 'default', is_paused: true }, { name: 'critical' }] } };
    prefect.flowRuns = dueRuns(3);
    expect(await (await scalerFor()).handler(scheduled)).toMatchObject({ desired: 0, demand: { untakeable: 3 } });
    prefect.flowRuns = [...dueRuns(3), run('c', { work_queue_name: 'critical', next_scheduled_start_time: at(-5) })];
    expect(await (await scalerFor()).handler(scheduled)).toMatchObject({ desired: 1, demand: { due: 1, untakeable: 3 } });
  });

  it('runs beyond a queue\'s concurrency limit (PENDING and RUNNING use its slots)', async () => {
    prefect.pools = { 'ecs-pool': { queues: [{ name: 'default', concurrency_limit: 2 }] } };
    prefect.flowRuns = [...dueRuns(5), run('r1', { state_type: 'RUNNING' }), run('r2', { state_type: 'PENDING' }), run('c', { state_type: 'CANCELLING' })];
    expect(await (await scalerFor({ desired: 1 })).handler(scheduled)).toMatchObject({ desired: 1, demand: { due: 0, untakeable: 5 } });
  });

  it('runs beyond the pool\'s concurrency limit, and exactly the room left within it', async () => {
    prefect.pools = { 'ecs-pool': { concurrency_limit: 4, queues: [{ name: 'default' }, { name: 'held', is_paused: true }] } };
    prefect.flowRuns = [...dueRuns(30), run('r1', { state_type: 'RUNNING' }), run('held-run', { state_type: 'RUNNING', work_queue_name: 'held' })];
    // 4 - 1 running in a queue that is not paused = 3 slots (runs of paused queues do not count on Postgres).
    expect(await (await scalerFor()).handler(scheduled)).toMatchObject({ desired: 1, demand: { due: 3, untakeable: 27 } });
  });
});

describe('no scale-in on a torn read', () => {
  it('counts runs that move SCHEDULED -> PENDING between the counts (lifecycle order)', async () => {
    prefect.flowRuns = dueRuns(25);
    prefect.afterRequest.push((request) => {
      const types = (request.body as { flow_runs?: { state?: { type?: { any_?: string[] } } } })?.flow_runs?.state?.type?.any_;
      if (request.path !== '/flow_runs/count' || types?.[0] !== 'SCHEDULED') return;
      // Right after the first SCHEDULED count a worker takes them all: they are being submitted.
      for (const r of prefect.flowRuns) Object.assign(r, { state_type: 'PENDING', state_name: 'Submitting', state_timestamp: at(0) });
    });
    const s = await scalerFor();
    expect(await s.handler(scheduled)).toMatchObject({ desired: 3, reason: 'scale-out', demand: { pending: 25, submitting: 25 } });
  });

  it('reads again before scaling to 0 and keeps the worker for a run that moved backwards unseen', async () => {
    prefect.flowRuns = [run('retrying', { state_type: 'RUNNING' })];
    let counts = 0;
    prefect.afterRequest.push((request) => {
      if (request.path !== '/flow_runs/count') return;
      counts++;
      // After the first SCHEDULED count, RUNNING -> AwaitingRetry (SCHEDULED, due now): the first reading sees neither.
      if (counts === 1) Object.assign(prefect.flowRuns[0]!, { state_type: 'SCHEDULED', state_name: 'AwaitingRetry', next_scheduled_start_time: at(-1) });
    });
    const s = await scalerFor({ desired: 1, env: { [ScalerEnv.IdleGraceSeconds]: '0' } });
    expect(await s.handler(scheduled)).toMatchObject({ desired: 1, reason: 'steady' });
    expect(await s.desired()).toBe(1);
  });
});

describe('Prefect server versions', () => {
  it.each<['3.0.3' | '2.20.25', string]>([
    ['3.0.3', 'extra_forbidden'],
    ['2.20.25', 'value_error.extra'],
  ])('a %s server answers 422 (%s) to end_time: the idle grace falls back, the demand stays readable', async (version) => {
    prefect.serverVersion = version;
    prefect.flowRuns = [run('done', { state_type: 'COMPLETED', end_time: at(-30) })];
    const s = await scalerFor({ desired: 1 });
    expect(await s.handler(scheduled)).toMatchObject({ desired: 0, reason: 'scale-in' });
    expect(s.memory.endTimeUnsupported).toBe(true);
    expect(s.logs.find((l) => l.message === 'scaling decision')).toMatchObject({ idleGrace: expect.stringContaining('unsupported') });
    const endTimeRequests = () => prefect.requestsTo('/flow_runs/count').filter((r) => JSON.stringify(r.body).includes('end_time')).length;
    expect(endTimeRequests()).toBe(1);
    await s.handler(scheduled);
    expect(endTimeRequests()).toBe(1); // not asked again while warm
  });

  it('a 3.6 server reads the idle grace from end_time', async () => {
    prefect.flowRuns = [run('done', { state_type: 'COMPLETED', end_time: at(-30) })];
    expect(await (await scalerFor({ desired: 1 })).handler(scheduled)).toMatchObject({ desired: 1, reason: 'idle-grace' });
  });
});

describe('faults', () => {
  it.each([
    ['503 on every attempt', { status: 503, times: 100 }],
    ['invalid JSON', { status: 200, body: 'not json', times: 100 }],
    ['401', { status: 401, body: '{"detail":"Unauthorized"}', times: 100 }],
    ['a slow answer past the timeout', { delayMs: 1500, times: 100 }],
  ])('keeps the current count when Prefect gives %s', async (_name, fault) => {
    prefect.injectFault({ path: /flow_runs\/count/, ...fault });
    const s = await scalerFor({ desired: 2, timeoutMs: 500 });
    expect(await s.handler(scheduled)).toMatchObject({ desired: 2, reason: 'demand-unreadable', changed: false });
    expect(await s.desired()).toBe(2);
    expect(s.logs.some((l) => l.message === 'demand unreadable: keeping the current worker count')).toBe(true);
    prefect.clearFaults();
  });

  it('keeps the current count when the work pool does not exist', async () => {
    prefect.injectFault({ path: /^\/work_pools\/ecs-pool$/, status: 404, body: '{"detail":"Work pool not found."}', times: 10 });
    expect(await (await scalerFor({ desired: 1 })).handler(scheduled)).toMatchObject({ desired: 1, reason: 'demand-unreadable' });
    prefect.clearFaults();
  });

  it('waits as long as Retry-After says on a 429 and then scales', async () => {
    prefect.flowRuns = [run('p', { state_type: 'PENDING' })];
    prefect.injectFault({ path: /flow_runs\/count/, status: 429, headers: { 'retry-after': '1' }, times: 1 });
    const s = await scalerFor();
    await s.handler(scheduled);
    expect(await s.desired()).toBe(1);
    const counts = prefect.requestsTo('/flow_runs/count');
    expect(counts[counts.length - 1]!.receivedAt - counts[0]!.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it('gives the same result for concurrent triggers as for one', async () => {
    prefect.flowRuns = dueRuns(25);
    const s = await scalerFor();
    const results = await Promise.all([s.handler(scheduled), s.handler(taskStopped), s.handler(scheduled), s.handler(taskStopped)]);
    expect(new Set(results.map((r) => (r as { desired: number }).desired))).toEqual(new Set([3]));
    expect(await s.desired()).toBe(3);
  });

  it('fails loudly on a direct invocation when the service does not exist', async () => {
    const config = readScalerConfig(scalerEnvironment({ [ScalerEnv.ApiUrl]: prefect.url, [ScalerEnv.Service]: 'no-such-service' }));
    const missing = createScalerHandler(config, {
      ecs: new ECSClient(motoClientConfig(moto)),
      prefect: createPrefectClient(config.prefect, { secrets: new CachedSecretReader(new SecretsManagerClient(motoClientConfig(moto))) }),
      secrets: new CachedSecretReader(new SecretsManagerClient(motoClientConfig(moto))),
      log: createLogger('scaler', () => undefined),
      writeMetrics: () => undefined,
      now: () => NOW,
      memory: {},
      budget: new Budget(),
    });
    await expect(missing(scheduled)).rejects.toThrow(/worker service no-such-service in cluster prefect-cluster not found/);
  });
});

describe('the time budget of an invocation (a timed-out batch would hold the one message group)', () => {
  const context = (remainingMs: number) => {
    const deadline = Date.now() + remainingMs;
    return { getRemainingTimeInMillis: () => deadline - Date.now() };
  };

  it('returns well before the Lambda timeout when Prefect answers slowly, keeping the count', async () => {
    prefect.flowRuns = dueRuns(3);
    prefect.injectFault({ path: /flow_runs\/count/, delayMs: 1500, times: 1000 });
    const s = await scalerFor({ desired: 2 });
    const started = Date.now();
    expect(await s.handler(scheduled, context(15_000))).toMatchObject({ desired: 2, reason: 'demand-unreadable', changed: false });
    // Prefect requests stop 3 s + 8 s before the timeout: about 4 s in.
    expect(Date.now() - started).toBeLessThan(8000);
    prefect.clearFaults();
  });

  it('keeps the count rather than scale to 0 unconfirmed when too little time is left for the second reading', async () => {
    const s = await scalerFor({ desired: 1, env: { [ScalerEnv.IdleGraceSeconds]: '0' } });
    expect(await s.handler(scheduled, context(14_000))).toMatchObject({ desired: 1, reason: 'unconfirmed', confirmed: false, changed: false });
    expect(await s.desired()).toBe(1);
  });

  it('skips the sweep when too little time is left, with a warning and a metric', async () => {
    prefect.flowRuns = [run('p', { state_type: 'PENDING', state_name: 'Submitting', state_timestamp: at(-900) })];
    const s = await scalerFor({ desired: 1 });
    expect(await s.handler(scheduled, context(21_000))).toMatchObject({ desired: 1, sweep: { outcomes: [], skipped: expect.stringMatching(/s left in this invocation/) } });
    expect(s.logs.find((l) => l.message === 'stuck-run sweep skipped')).toMatchObject({ level: 'WARN' });
    expect(s.metrics.at(-1)).toMatchObject({ StuckSweepSkipped: 1 });
    expect(prefect.flowRuns[0]).toMatchObject({ state_type: 'PENDING' });
  });

  it('stops proposing when Prefect\'s share of the time runs short, before the timeout, and sends nothing it cannot finish', async () => {
    prefect.flowRuns = Array.from({ length: 12 }, (_, i) => run(`stuck-${i}`, { state_type: 'PENDING', state_name: 'Submitting', state_timestamp: at(-900) }));
    // Every re-read of a run before its proposal takes 1.5 s (a loaded server).
    prefect.injectFault({ path: /^\/flow_runs\/stuck-\d+$/, delayMs: 1500, times: 1000 });
    const s = await scalerFor({ desired: 1 });
    const started = Date.now();
    const result = (await s.handler(scheduled, context(26_000))) as Evaluation;
    prefect.clearFaults();
    // The budget ends 3 s before the 26 s; Prefect's share 8 s before that.
    expect(Date.now() - started).toBeLessThan(23_000);
    const outcomes = result.sweep!.outcomes.map((o) => o.outcome);
    expect(outcomes.filter((o) => o === 'rescheduled').length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o === 'rescheduled').length).toBeLessThan(10);
    // No proposal started without the time to finish it: none failed, none was cut short.
    expect(outcomes).not.toContain('failed');
    expect(result.sweep!.skipped).toMatch(/too little time left/);
    expect(prefect.flowRuns.filter((r) => r.state_type === 'SCHEDULED')).toHaveLength(outcomes.length);
    expect(s.metrics.at(-1)).toMatchObject({ StuckSweepSkipped: 1 });
  });

  it('bounds the requests of a busy tick', async () => {
    prefect.flowRuns = [...dueRuns(40), ...Array.from({ length: 60 }, (_, i) => run(`stuck-${i}`, { state_type: 'PENDING', state_name: 'Submitting', state_timestamp: at(-900) }))];
    await (await scalerFor({ desired: 1 })).handler(scheduled);
    // Demand: 2 pool reads, 8 SCHEDULED reads, 2 PENDING, 2 RUNNING and CANCELLING; sweep: 3 lists, 10 x (read + propose).
    expect(prefect.requests.length).toBeLessThanOrEqual(2 + 8 + 2 + 2 + 3 + 20);
    expect(prefect.requests.filter((r) => r.path.endsWith('/set_state'))).toHaveLength(10);
  });
});

describe('stuck PENDING runs (more in scalerStuck.test.ts)', () => {
  const pending = (id: string, fields: Partial<StandInFlowRun> = {}) =>
    run(id, { state_type: 'PENDING', state_name: 'Submitting', state_id: `${id}-pending`, state_timestamp: at(-900), expected_start_time: at(-905), ...fields });

  it('reschedules a run PENDING for 15 minutes with no task and no worker that could still submit it, and does nothing when the setting says off', async () => {
    prefect.flowRuns = [pending('stuck')];
    const result = await (await scalerFor({ desired: 1 })).handler(scheduled);
    expect(result).toMatchObject({ sweep: { outcomes: [{ id: 'stuck', outcome: 'rescheduled' }] } });
    expect(prefect.flowRuns[0]).toMatchObject({ state_type: 'SCHEDULED', state_message: expect.stringMatching(/^Rescheduled by the prefect-ecs-stack scaler: PENDING \(Submitting\) since /) });
    prefect.flowRuns = [pending('stuck-2')];
    await (await scalerFor({ desired: 1, env: { [ScalerEnv.StuckPendingAction]: 'off' } })).handler(scheduled);
    expect(prefect.flowRuns[0]).toMatchObject({ state_type: 'PENDING' });
  });

  it('leaves a run that started between the listing and the proposal (re-read right before)', async () => {
    prefect.flowRuns = [pending('racing')];
    prefect.afterRequest.push((request) => {
      if (request.path === '/flow_runs/filter' && JSON.stringify(request.body).includes('EXPECTED_START_TIME_ASC')) {
        Object.assign(prefect.flowRuns[0]!, { state_type: 'RUNNING', state_name: 'Running', state_id: 'racing-running' });
      }
    });
    const result = await (await scalerFor({ desired: 1 })).handler(scheduled);
    expect(result).toMatchObject({ sweep: { outcomes: [{ id: 'racing', outcome: 'changed' }] } });
    expect(prefect.requestsTo('/flow_runs/racing/set_state')).toHaveLength(0);
    expect(prefect.flowRuns[0]).toMatchObject({ state_type: 'RUNNING' });
  });

  it('sweeps only on the tick, not on task events', async () => {
    prefect.flowRuns = [pending('stuck')];
    await (await scalerFor({ desired: 1 })).handler(taskStopped);
    expect(prefect.requestsTo('/flow_runs/filter').filter((r) => JSON.stringify(r.body).includes('EXPECTED_START_TIME_ASC'))).toHaveLength(0);
    expect(prefect.flowRuns[0]).toMatchObject({ state_type: 'PENDING' });
  });
});
