import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CachedSecretReader } from '../../../lambdas/common/aws/secrets';
import { createPrefectClient } from '../../../lambdas/common/prefect/client';
import type { ListedRun } from '../../../lambdas/scaler/demand/listed';
import { TooManyTasksError } from '../../../lambdas/scaler/errors';
import { FINDING_TTL_MS, liveKeys, MAX_FINDINGS, remember, type ScalerMemory } from '../../../lambdas/scaler/memory';
import { PAGE_LIMIT, readSweepRuns } from '../../../lambdas/scaler/stuck/candidates';
import { leaseAllows, limitsOf } from '../../../lambdas/scaler/stuck/deployments';
import { proposalBody, proposeOnce } from '../../../lambdas/scaler/stuck/propose';
import { describeTasks, flowRunTasks, MAX_LISTED_TASKS, serviceTasks } from '../../../lambdas/scaler/stuck/tasks';

const NOW = Date.parse('2026-11-21T12:00:00Z');

describe('what ECS says about tasks', () => {
  const ecs = mockClient(ECSClient);
  beforeEach(() => ecs.reset());

  it('describes tasks by id, and calls the ones ECS does not know MISSING', async () => {
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [{ taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prefect-cluster/a1', lastStatus: 'STOPPED', stoppedAt: new Date(NOW), stoppedReason: 'Scaling activity' }],
      failures: [{ arn: 'b2', reason: 'MISSING' }],
    });
    const states = await describeTasks(new ECSClient({ region: 'us-east-1' }), 'prefect-cluster', ['a1', 'b2', 'a1']);
    expect(states.get('a1')).toMatchObject({ lastStatus: 'STOPPED', stoppedAt: NOW, stoppedReason: 'Scaling activity' });
    expect(states.get('b2')).toEqual({ lastStatus: 'MISSING' });
    expect(ecs).toHaveReceivedCommandWith(DescribeTasksCommand, { cluster: 'prefect-cluster', tasks: ['a1', 'b2'] });
  });

  it('lists only running flow-run tasks, page by page, with when each was created', async () => {
    ecs.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolvesOnce({ taskArns: ['t1'], nextToken: 'n' }).resolvesOnce({ taskArns: ['t2'] });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        { taskArn: 't1', createdAt: new Date(NOW - 5000), tags: [{ key: 'prefect.io/flow-run-id', value: 'run-a' }] },
        { taskArn: 't2', createdAt: new Date(NOW), tags: [{ key: 'other', value: 'x' }] },
      ],
    });
    const byRun = await flowRunTasks(new ECSClient({ region: 'us-east-1' }), 'prefect-cluster');
    expect(byRun).toEqual(new Map([['run-a', [NOW - 5000]]]));
    expect(ecs).toHaveReceivedCommandWith(ListTasksCommand, { cluster: 'prefect-cluster', desiredStatus: 'RUNNING', maxResults: 100, nextToken: 'n' });
    expect(ecs).not.toHaveReceivedCommandWith(ListTasksCommand, { desiredStatus: 'STOPPED' });
    expect(ecs).toHaveReceivedCommandWith(DescribeTasksCommand, { cluster: 'prefect-cluster', tasks: ['t1', 't2'], include: ['TAGS'] });
  });

  it(`refuses to judge on a partial view of a cluster of more than ${MAX_LISTED_TASKS} tasks`, async () => {
    ecs.on(ListTasksCommand).resolves({ taskArns: Array.from({ length: 100 }, (_, i) => `t${i}`), nextToken: 'more' });
    await expect(flowRunTasks(new ECSClient({ region: 'us-east-1' }), 'prefect-cluster')).rejects.toBeInstanceOf(TooManyTasksError);
  });

  it('reads the worker service\'s own tasks, running and stopped, and only those', async () => {
    ecs.on(ListTasksCommand, { serviceName: 'prefect-worker', desiredStatus: 'RUNNING' }).resolves({ taskArns: ['w1', 'x1'] });
    ecs.on(ListTasksCommand, { serviceName: 'prefect-worker', desiredStatus: 'STOPPED' }).resolves({ taskArns: ['w0'] });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        { taskArn: 'w1', group: 'service:prefect-worker', lastStatus: 'RUNNING', createdAt: new Date(NOW) },
        { taskArn: 'x1', group: 'family:prefect_ecs-pool_d', lastStatus: 'RUNNING' },
        { taskArn: 'w0', group: 'service:prefect-worker', lastStatus: 'STOPPED' },
      ],
    });
    const workers = await serviceTasks(new ECSClient({ region: 'us-east-1' }), 'prefect-cluster', 'prefect-worker');
    expect(workers.map((w) => w.lastStatus)).toEqual(['RUNNING', 'STOPPED']);
  });
});

describe('a deployment\'s concurrency lease', () => {
  it.each<[string, unknown, object]>([
    ['no limit', { concurrency_limit: null, global_concurrency_limit: null }, { limited: false }],
    ['a limit of 2 and the server\'s lease', { concurrency_limit: 2, global_concurrency_limit: { limit: 2 } }, { limited: true, zero: false, leaseSeconds: 300 }],
    ['a limit of 0', { global_concurrency_limit: { limit: 0 } }, { limited: true, zero: true }],
    ['its own grace period', { concurrency_limit: 1, concurrency_options: { collision_strategy: 'ENQUEUE', grace_period_seconds: 900 } }, { leaseSeconds: 900 }],
  ])('%s', (_name, deployment, expected) => {
    expect(limitsOf(deployment)).toMatchObject(expected);
  });

  it('lets a run of a limited deployment move only while its lease surely lives', () => {
    const limited = limitsOf({ concurrency_limit: 1 });
    expect(leaseAllows(limitsOf({}), undefined, NOW)).toBe(true);
    expect(leaseAllows(limited, NOW - 200_000, NOW)).toBe(true);
    expect(leaseAllows(limited, NOW - 250_000, NOW)).toBe(false);
    expect(leaseAllows(limited, undefined, NOW)).toBe(false);
  });
});

describe('findings the sweep keeps', () => {
  it('expire, and are bounded', () => {
    const map = new Map<string, number>();
    remember(map, ['a', 'b'], NOW);
    expect(liveKeys(map, NOW + FINDING_TTL_MS - 1)).toEqual(['a', 'b']);
    expect(liveKeys(map, NOW + FINDING_TTL_MS)).toEqual([]);
    remember(map, Array.from({ length: MAX_FINDINGS + 5 }, (_, i) => `r${i}`), NOW);
    expect(map.size).toBe(MAX_FINDINGS);
    expect(map.has('r0')).toBe(false);
  });
});

describe('one proposal', () => {
  const seen: ListedRun = { id: '4f0a0c9e-8f0f-4b55-9a86-7c2b1d1f0a11', stateType: 'PENDING', stateName: 'Submitting', stateId: 's1', since: NOW - 900_000 };
  const act = { kind: 'act' as const, state: 'SCHEDULED' as const, why: 'PENDING (Submitting) since ... : its worker has stopped' };
  const runJson = (stateId: string, transitionId: string | null = null) => ({ id: seen.id, infrastructure_pid: null, state: { id: stateId, type: 'PENDING', name: 'Submitting', timestamp: new Date(NOW).toISOString(), state_details: { transition_id: transitionId } } });

  function client(answer: (request: Request, attempt: number) => Response | Promise<Response>) {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'key' });
    const calls: string[] = [];
    let posts = 0;
    const prefect = createPrefectClient(
      { apiUrl: 'https://prefect.test/api', authMode: 'api-key', secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:k' },
      {
        secrets: new CachedSecretReader(new SecretsManagerClient({ region: 'us-east-1' })),
        http: { attempts: 4, timeoutMs: 100, sleep: async () => undefined },
        fetch: async (request) => {
          calls.push(`${request.method} ${new URL(request.url).pathname}`);
          return answer(request, request.method === 'POST' ? ++posts : 0);
        },
      },
    );
    return { prefect, calls };
  }

  it('names why in the message, carries a fresh transition id, and never forces', () => {
    const body = proposalBody(act, 't-1');
    expect(body).toEqual({ state: { type: 'SCHEDULED', name: 'Scheduled', message: `Rescheduled by the prefect-ecs-stack scaler: ${act.why}`, state_details: { transition_id: 't-1' } }, force: false });
    expect(proposalBody({ ...act, state: 'CRASHED' }).state).toMatchObject({ name: 'Crashed', message: expect.stringMatching(/^Marked crashed by/) });
    expect(proposalBody({ ...act, state: 'CANCELLED' }).state).toMatchObject({ name: 'Cancelled' });
  });

  it('reads the run again first and leaves it when its state changed', async () => {
    const { prefect, calls } = client(() => Response.json(runJson('s2')));
    expect(await proposeOnce(prefect, seen, act)).toEqual({ moved: false, outcome: 'changed' });
    expect(calls).toEqual([`GET /api/flow_runs/${seen.id}`]);
  });

  it('sends the proposal once: after a 503 it reads the run to learn whether it went through', async () => {
    let transitionId: string | undefined;
    const { prefect, calls } = client(async (request) => {
      if (request.method === 'POST') {
        transitionId = ((await request.clone().json()) as { state: { state_details: { transition_id: string } } }).state.state_details.transition_id;
        return new Response('busy', { status: 503 });
      }
      return Response.json(runJson(transitionId ? 's-new' : 's1', transitionId ?? null));
    });
    expect(await proposeOnce(prefect, seen, act)).toEqual({ moved: true });
    expect(calls.filter((c) => c.startsWith('POST'))).toHaveLength(1);
  });

  it('reports a proposal that did not go through as failed, without repeating it', async () => {
    const { prefect, calls } = client((request) => (request.method === 'POST' ? new Response('busy', { status: 502 }) : Response.json(runJson('s1'))));
    expect(await proposeOnce(prefect, seen, act)).toMatchObject({ moved: false, outcome: 'failed' });
    expect(calls.filter((c) => c.startsWith('POST'))).toHaveLength(1);
  });

  it('repeats a proposal only after a 429 (the server did not read it)', async () => {
    const { prefect, calls } = client((request, post) =>
      request.method === 'POST'
        ? post === 1
          ? new Response('slow down', { status: 429, headers: { 'retry-after': '0' } })
          : Response.json({ status: 'ACCEPT', details: {}, state: runJson('s3').state }, { status: 201 })
        : Response.json(runJson('s1')),
    );
    expect(await proposeOnce(prefect, seen, act)).toEqual({ moved: true });
    expect(calls.filter((c) => c.startsWith('POST'))).toHaveLength(2);
  });

  it('reports a rejection with the server\'s reason', async () => {
    const { prefect } = client((request) =>
      request.method === 'POST' ? Response.json({ status: 'REJECT', details: { reason: 'Only scheduled flows can be marked late.' }, state: runJson('s1').state }) : Response.json(runJson('s1')),
    );
    expect(await proposeOnce(prefect, seen, act)).toEqual({ moved: false, outcome: 'rejected', detail: 'REJECT: Only scheduled flows can be marked late.' });
  });
});

describe('the runs one sweep looks at', () => {
  const run = (i: number, type = 'RUNNING') => ({ id: `run-${i}`, state: { id: `state-${i}`, type, name: type === 'RUNNING' ? 'Running' : 'Submitting', timestamp: new Date(NOW).toISOString() } });

  it('pages through PENDING, RUNNING and CANCELLING runs with an offset that moves every tick and wraps, so no page of healthy runs starves the rest', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'key' });
    const total = PAGE_LIMIT + 30;
    const offsets: number[] = [];
    const prefect = createPrefectClient(
      { apiUrl: 'https://prefect.test/api', authMode: 'api-key', secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:k' },
      {
        secrets: new CachedSecretReader(new SecretsManagerClient({ region: 'us-east-1' })),
        fetch: async (request) => {
          const body = (await request.json()) as { sort?: string; offset: number; limit: number };
          // The newest Submitting runs: one list of its own, never paged.
          if (body.sort === 'EXPECTED_START_TIME_DESC') return Response.json([run(999, 'PENDING')]);
          offsets.push(body.offset);
          return Response.json(Array.from({ length: Math.max(0, Math.min(body.limit, total - body.offset)) }, (_, i) => run(body.offset + i)));
        },
      },
    );
    const memory: ScalerMemory = {};
    const scope = { workPool: 'ecs-pool', workQueues: [] };
    const first = await readSweepRuns(prefect, scope, memory);
    expect(first).toHaveLength(PAGE_LIMIT + 1);
    const second = await readSweepRuns(prefect, scope, memory);
    expect(second.map((r) => r.id)).toEqual(expect.arrayContaining(['run-999', `run-${total - 1}`]));
    expect(second).toHaveLength(30 + 1);
    await readSweepRuns(prefect, scope, memory);
    expect(offsets).toEqual([0, PAGE_LIMIT, 0]);
  });
});
