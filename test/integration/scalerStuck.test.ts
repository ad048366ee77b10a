/**
 * Runs nothing else will move, end to end: the scaler's handler with real AWS SDK clients against
 * moto_server (real worker and flow-run tasks with tags, started and stopped) and the Prefect
 * stand-in, which applies Prefect 3.6.28's orchestration rules to every proposal, the scaler's
 * and a simulated worker's alike (test/support/prefectOrchestration.ts). Each case ends with the
 * run either freed or left out of the demand, so no worker is kept up for it.
 */
import { ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { randomUUID } from 'node:crypto';
import { createLogger } from '../../lambdas/common/log';
import { createPrefectClient } from '../../lambdas/common/prefect/client';
import { CachedSecretReader } from '../../lambdas/common/aws/secrets';
import { Budget } from '../../lambdas/scaler/budget';
import { readScalerConfig } from '../../lambdas/scaler/config';
import { ScalerEnv } from '../../lambdas/scaler/env';
import type { Evaluation, ScalerMemory } from '../../lambdas/scaler/evaluate';
import { createScalerHandler } from '../../lambdas/scaler/handler';
import { scalerEnvironment } from '../fixtures/scalerEnvironment';
import scheduled from '../fixtures/events/scaler/scheduled.json';
import { createWorkerService, desiredCountOf } from '../support/motoEcs';
import { motoClientConfig, startMotoServer, type MotoServer } from '../support/motoServer';
import { PrefectStandIn, type StandInFlowRun } from '../support/prefectStandIn';

const NOW = new Date('2026-11-21T12:00:00Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000).toISOString();
const CLUSTER = 'prefect-cluster';

let moto: MotoServer;
let prefect: PrefectStandIn;
let ecs: ECSClient;
let serviceSeq = 0;

beforeAll(async () => {
  moto = await startMotoServer();
  prefect = await PrefectStandIn.start();
  ecs = new ECSClient(motoClientConfig(moto));
  await createWorkerService(moto, CLUSTER, 'bootstrap', 0);
  await ecs.send(new RegisterTaskDefinitionCommand({ family: 'prefect_ecs-pool_deployment', containerDefinitions: [{ name: 'prefect', image: 'flows:1', memory: 512 }] }));
  await ecs.send(new RegisterTaskDefinitionCommand({ family: 'prefect-worker-task', containerDefinitions: [{ name: 'prefect-worker', image: 'worker:1', memory: 512 }] }));
});

afterAll(async () => {
  await prefect?.close();
  await moto?.stop();
});

beforeEach(() => {
  prefect.flowRuns = [];
  prefect.pools = {};
  prefect.deployments = {};
  prefect.serverVersion = '3.6.28';
  prefect.now = () => NOW;
  prefect.afterRequest.length = 0;
  prefect.requests.length = 0;
  prefect.validationErrors.length = 0;
});

afterEach(() => expect(prefect.validationErrors).toEqual([]));

async function scalerFor(options: { desired?: number; env?: Record<string, string>; memory?: ScalerMemory } = {}) {
  const service = `prefect-worker-${++serviceSeq}`;
  await createWorkerService(moto, CLUSTER, service, options.desired ?? 1);
  const config = readScalerConfig(scalerEnvironment({ [ScalerEnv.ApiUrl]: prefect.url, [ScalerEnv.Service]: service, [ScalerEnv.IdleGraceSeconds]: '0', ...options.env }));
  const logs: Record<string, unknown>[] = [];
  const metrics: Record<string, unknown>[] = [];
  const budget = new Budget();
  const secrets = new CachedSecretReader(new SecretsManagerClient(motoClientConfig(moto)));
  const memory = options.memory ?? {};
  const handler = createScalerHandler(config, {
    ecs,
    prefect: createPrefectClient(config.prefect, { secrets, http: { timeoutMs: 2000, attempts: 3, baseDelayMs: 20, deadlineAt: budget.prefectDeadlineAt } }),
    secrets,
    log: createLogger('scaler', (line) => logs.push(JSON.parse(line))),
    writeMetrics: (line) => metrics.push(line),
    now: () => NOW,
    memory,
    budget,
  });
  const tick = async () => (await handler(scheduled)) as Evaluation;
  return { handler, tick, service, logs, metrics, memory, desired: () => desiredCountOf(moto, CLUSTER, service) };
}

/** A worker task of the service, as ECS starts it; its id names the worker (`--name ecs-task-<id>`). */
async function workerTask(service: string): Promise<string> {
  const started = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'prefect-worker-task', launchType: 'FARGATE', group: `service:${service}` }));
  return started.tasks![0]!.taskArn!.split('/').pop()!;
}

/** A flow-run task, tagged as the ECS worker tags it. */
async function flowRunTask(flowRunId: string): Promise<string> {
  const started = await ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'prefect_ecs-pool_deployment', launchType: 'FARGATE', tags: [{ key: 'prefect.io/flow-run-id', value: flowRunId }] }));
  return started.tasks![0]!.taskArn!;
}

const stop = (task: string) => ecs.send(new StopTaskCommand({ cluster: CLUSTER, task, reason: 'Scaling activity initiated by (deployment ecs-svc/1)' }));

const run = (fields: Partial<StandInFlowRun>): StandInFlowRun => ({
  id: randomUUID(),
  work_pool_name: 'ecs-pool',
  work_queue_name: 'default',
  state_type: 'SCHEDULED',
  ...fields,
});

/** PENDING named Submitting since `seconds` ago by the worker of `workerTaskId` (its labels written just before, as base.py:1494-1498). */
const submitting = (workerTaskId: string | undefined, seconds: number, fields: Partial<StandInFlowRun> = {}) =>
  run({
    state_type: 'PENDING',
    state_name: 'Submitting',
    state_id: randomUUID(),
    state_timestamp: at(-seconds),
    expected_start_time: at(-seconds - 5),
    labels: workerTaskId ? { 'prefect.worker.name': `ecs-task-${workerTaskId}` } : {},
    ...fields,
  });

const outcomeOf = (e: Evaluation, id: string) => e.sweep?.outcomes.find((o) => o.id === id)?.outcome;

describe('a run stranded by its worker (PrefectHQ/prefect#20485)', () => {
  it('is rescheduled on the next tick once its worker\'s task has stopped, not after StuckPendingSeconds, and adds no worker meanwhile', async () => {
    const s = await scalerFor({ desired: 3 });
    const worker = await workerTask(s.service);
    prefect.flowRuns = Array.from({ length: 20 }, () => submitting(worker, 90));
    await stop(worker);
    const e = await s.tick();
    // 20 stranded runs are no submission backlog: one worker for them (they are PENDING), not three.
    expect(e).toMatchObject({ desired: 1, demand: { pending: 20, submitting: 0 } });
    expect(e.sweep!.outcomes.filter((o) => o.outcome === 'rescheduled')).toHaveLength(10);
    expect(e.sweep!.skipped).toMatch(/more than 10 runs to move/);
    expect(prefect.flowRuns.filter((r) => r.state_type === 'SCHEDULED')).toHaveLength(10);
    expect(prefect.flowRuns.find((r) => r.state_type === 'SCHEDULED')!.state_message).toMatch(
      new RegExp(`^Rescheduled by the prefect-ecs-stack scaler: PENDING \\(Submitting\\) since .* its worker \\(task ${worker}\\) has stopped before RunTask`),
    );
    expect(s.metrics.at(-1)).toMatchObject({ StuckRunsRecovered: 10, StuckSweepSkipped: 1 });
    expect((await s.tick()).sweep!.outcomes.filter((o) => o.outcome === 'rescheduled')).toHaveLength(10);
  });

  it('is never rescheduled while its worker lives, even when that worker submits it after the sweep (no second execution)', async () => {
    const s = await scalerFor({ desired: 1 });
    const worker = await workerTask(s.service);
    const stuck = submitting(worker, 900);
    prefect.flowRuns = [stuck];
    expect(outcomeOf(await s.tick(), stuck.id)).toBe('holder-alive');
    expect(prefect.requestsTo(`/flow_runs/${stuck.id}/set_state`)).toHaveLength(0);
    // From then on left out of the demand: it keeps no worker up, and the fleet may scale in.
    expect(await s.tick()).toMatchObject({ desired: 0, demand: { pending: 0, ignored: { stuck: 1 } } });
    expect(s.memory.stuckRuns?.has(stuck.id)).toBe(true);
    // The slow worker goes on: it proposes Submitting again (ignoring any Abort) and calls RunTask.
    expect(prefect.propose(stuck, { state: { type: 'PENDING', name: 'Submitting' } }).body).toMatchObject({ status: 'ABORT' });
    await flowRunTask(stuck.id);
    // The run stayed PENDING throughout: no other worker could take it, so its only task is this one.
    expect(stuck.state_type).toBe('PENDING');
    await stop(worker);
    expect(outcomeOf(await s.tick(), stuck.id)).toBeUndefined();
    expect(stuck.state_type).toBe('PENDING');
  });

  it('with StuckPendingAction=crash is crashed while its worker lives, and a late submission still runs it once', async () => {
    const s = await scalerFor({ desired: 1, env: { [ScalerEnv.StuckPendingAction]: 'crash' } });
    const worker = await workerTask(s.service);
    const stuck = submitting(worker, 900);
    prefect.flowRuns = [stuck];
    expect(outcomeOf(await s.tick(), stuck.id)).toBe('crashed');
    expect(stuck).toMatchObject({ state_type: 'CRASHED', state_message: expect.stringMatching(/^Marked crashed by the prefect-ecs-stack scaler: .*hangs/) });
    // CRASHED -> PENDING(Submitting) is accepted: the live worker submits it, and nobody else can.
    expect(prefect.propose(stuck, { state: { type: 'PENDING', name: 'Submitting' } }).body).toMatchObject({ status: 'ACCEPT' });
  });

  it('is left alone when a task of it was started after it went PENDING (its pid was never recorded), not when only an earlier attempt\'s task stopped', async () => {
    const s = await scalerFor({ desired: 1 });
    const worker = await workerTask(s.service);
    await stop(worker);
    const started = submitting(worker, 90);
    const retried = submitting(worker, 90);
    prefect.flowRuns = [started, retried];
    await flowRunTask(started.id);
    await stop(await flowRunTask(retried.id));
    const e = await s.tick();
    expect(outcomeOf(e, started.id)).toBeUndefined();
    expect(started.state_type).toBe('PENDING');
    expect(outcomeOf(e, retried.id)).toBe('rescheduled');
  });

  it('named Pending (no trustworthy worker label), waits StuckPendingSeconds and until no worker that was up then still runs', async () => {
    const s = await scalerFor({ desired: 1 });
    const worker = await workerTask(s.service);
    const stuck = submitting(worker, 900, { state_name: 'Pending' });
    prefect.flowRuns = [stuck, submitting(undefined, 100, { state_name: 'Pending' })];
    expect(outcomeOf(await s.tick(), stuck.id)).toBe('holder-may-live');
    await stop(worker);
    expect(outcomeOf(await s.tick(), stuck.id)).toBe('rescheduled');
    expect(prefect.flowRuns[1]!.state_type).toBe('PENDING');
  });

  it('of a deployment with a concurrency limit is moved only while its lease lives, else left and reported', async () => {
    const deploymentId = randomUUID();
    prefect.deployments = { [deploymentId]: { concurrency_limit: 2 } };
    const s = await scalerFor({ desired: 1 });
    const worker = await workerTask(s.service);
    await stop(worker);
    const fresh = submitting(worker, 120, { deployment_id: deploymentId });
    const late = submitting(worker, 400, { deployment_id: deploymentId });
    prefect.flowRuns = [fresh, late];
    const e = await s.tick();
    expect(outcomeOf(e, fresh.id)).toBe('rescheduled');
    expect(e.sweep!.outcomes.find((o) => o.id === late.id)).toMatchObject({ outcome: 'lease-expired', detail: expect.stringContaining('release a slot twice') });
    expect(late.state_type).toBe('PENDING');
    expect(s.metrics.at(-1)).toMatchObject({ StuckRunsLeft: 1 });
  });
});

describe('runs whose task is gone', () => {
  const gone = `arn:aws:ecs:us-east-1:123456789012:task/${CLUSTER}/0000000000000000000000000000dead`;

  it.each<[string, Partial<StandInFlowRun>, string]>([
    ['a PENDING run with a recorded task ARN', { state_type: 'PENDING', state_name: 'InfrastructurePending' }, 'CRASHED'],
    ['a RUNNING run whose container never reported', { state_type: 'RUNNING', state_name: 'Running' }, 'CRASHED'],
    ['a CANCELLING run (the observer\'s Crashed would be rejected)', { state_type: 'CANCELLING', state_name: 'Cancelling' }, 'CANCELLED'],
  ])('%s is freed and keeps no worker up', async (_name, fields, final) => {
    const r = run({ ...fields, state_timestamp: at(-7200), infrastructure_pid: `${CLUSTER}::${gone}` });
    prefect.flowRuns = [r];
    const s = await scalerFor({ desired: 1 });
    await s.tick();
    expect(r.state_type).toBe(final);
    expect(r.state_message).toContain('0000000000000000000000000000dead is no longer known to ECS');
    expect((await s.tick()).desired).toBe(0);
    expect(await s.desired()).toBe(0);
  });

  it('leaves a run whose task still runs', async () => {
    const r = run({ state_type: 'RUNNING', state_timestamp: at(-7200) });
    r.infrastructure_pid = `${CLUSTER}::${await flowRunTask(r.id)}`;
    expect(r.infrastructure_pid).toContain(`:task/${CLUSTER}/`);
    prefect.flowRuns = [r];
    expect(await (await scalerFor({ desired: 1 })).tick()).toMatchObject({ desired: 1, reason: 'steady' });
    expect(r.state_type).toBe('RUNNING');
  });
});

describe('runs no worker will move keep none up', () => {
  it('an in-process retry (its own container retries it): never counted, reported once long overdue', async () => {
    prefect.flowRuns = [
      run({ state_name: 'AwaitingRetry', retry_type: 'in_process', next_scheduled_start_time: at(-5), infrastructure_pid: `${CLUSTER}::arn:aws:ecs:us-east-1:123456789012:task/${CLUSTER}/abc` }),
      run({ state_name: 'AwaitingRetry', retry_type: 'in_process', next_scheduled_start_time: at(-3600) }),
    ];
    const s = await scalerFor({ desired: 1 });
    expect(await s.tick()).toMatchObject({ desired: 0, demand: { due: 0, dueNow: 0, ignored: { 'in-process-retry': 1 } } });
    expect(s.metrics.at(-1)).toMatchObject({ IgnoredRuns: 1, DueRuns: 0 });
  });

  it('an AwaitingRetry a worker does take (a SIGTERM reschedule) still wakes one', async () => {
    prefect.flowRuns = [run({ state_name: 'AwaitingRetry', retry_type: 'reschedule', next_scheduled_start_time: at(-5) })];
    expect(await (await scalerFor({ desired: 0 })).tick()).toMatchObject({ desired: 1, demand: { due: 1, dueNow: 1 } });
  });

  it('runs of a deployment whose concurrency limit is 0: found by the sweep, then left out until the finding expires', async () => {
    const deploymentId = randomUUID();
    prefect.deployments = { [deploymentId]: { concurrency_limit: 0 } };
    const blocked = Array.from({ length: 12 }, () => run({ state_name: 'Late', deployment_id: deploymentId, next_scheduled_start_time: at(-900) }));
    prefect.flowRuns = blocked;
    // A worker that takes them is refused every time; the run stays Late.
    expect(prefect.propose(blocked[0]!, { state: { type: 'PENDING', name: 'Pending' } }).body).toMatchObject({ status: 'ABORT' });
    const s = await scalerFor({ desired: 1 });
    const first = await s.tick();
    expect(first.sweep!.zeroLimitDeployments).toEqual([deploymentId]);
    expect(s.logs.find((l) => l.message === 'deployments with a concurrency limit of 0: their runs never start')).toMatchObject({ deploymentIds: [deploymentId] });
    expect(await s.tick()).toMatchObject({ desired: 0, demand: { due: 0, ignored: { 'zero-limit-deployment': 12 } } });
    // Another deployment's runs still count.
    prefect.flowRuns = [...blocked, run({ next_scheduled_start_time: at(-5) })];
    expect(await s.tick()).toMatchObject({ desired: 1, demand: { due: 1 } });
  });

  it('a CANCELLING run without a task keeps no worker', async () => {
    prefect.flowRuns = [run({ state_type: 'CANCELLING', state_timestamp: at(-60) })];
    expect(await (await scalerFor({ desired: 1 })).tick()).toMatchObject({ desired: 0, demand: { cancelling: 1 } });
  });
});

describe('servers before 3.6.22 (the worker\'s Submitting refused: submitted runs stay named Pending)', () => {
  it('counts a submitted run (it has a task ARN) as no backlog, and a run being submitted now as one', async () => {
    prefect.serverVersion = '3.0.3';
    const submitted = Array.from({ length: 25 }, () =>
      run({ state_type: 'PENDING', state_name: 'Pending', state_timestamp: at(-20), infrastructure_pid: `${CLUSTER}::arn:aws:ecs:us-east-1:123456789012:task/${CLUSTER}/t` }),
    );
    prefect.flowRuns = [...submitted, run({ state_type: 'PENDING', state_name: 'Pending', state_timestamp: at(-2) })];
    // A worker's Submitting is refused on such a server.
    expect(prefect.propose(prefect.flowRuns[25]!, { state: { type: 'PENDING', name: 'Submitting' } }).body).toMatchObject({ status: 'ABORT' });
    expect(await (await scalerFor({ desired: 1 })).handler(scheduled)).toMatchObject({ desired: 1, backlog: 1, demand: { pending: 26, submitting: 1 } });
  });
});
