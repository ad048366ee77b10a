/**
 * The work-pool custom resource against the Prefect stand-in (requests validated against the
 * OpenAPI schema) and a local server that receives CloudFormation's response.
 */
import { createLogger } from '../../lambdas/common/log';
import { createPrefectClient } from '../../lambdas/common/prefect/client';
import type { SecretReader } from '../../lambdas/common/aws/secrets';
import { FAILED_CREATE_PREFIX, createWorkPoolHandler } from '../../lambdas/work-pool/handler';
import { STACK_PROPERTIES } from '../fixtures/workPoolProperties';
import { CfnResponseReceiver } from '../support/cfnResponseReceiver';
import { flowRunTask } from '../support/prefectJobTemplate';
import { PrefectStandIn } from '../support/prefectStandIn';
import { addWorkPoolRoutes, type StoredPool } from '../support/workPoolStandIn';

const API_KEY = 'pnu_work_pool_key';
let prefect: PrefectStandIn;
let pools: Map<string, StoredPool>;
let receiver: CfnResponseReceiver;
let seq = 0;

beforeAll(async () => {
  prefect = await PrefectStandIn.start(`Bearer ${API_KEY}`);
  pools = addWorkPoolRoutes(prefect);
  receiver = await CfnResponseReceiver.start();
});

afterAll(async () => {
  await prefect?.close();
  await receiver?.close();
});

beforeEach(() => {
  pools.clear();
  prefect.clearFaults();
  prefect.requests.length = 0;
  prefect.validationErrors.length = 0;
  prefect.expectedAuthorization = `Bearer ${API_KEY}`;
});

afterEach(() => expect(prefect.validationErrors).toEqual([]));


function handler(secret = API_KEY, options: { timeoutMs?: number; reserveMs?: number } = {}) {
  const secrets: SecretReader = { get: async () => secret, invalidate: () => undefined };
  return createWorkPoolHandler({
    prefect: createPrefectClient({ apiUrl: prefect.url, authMode: 'api-key', secretArn: 'arn:aws:secretsmanager:us-east-1:1:secret:p' }, {
      secrets,
      http: { timeoutMs: options.timeoutMs ?? 1000, attempts: 2, baseDelayMs: 10, deadlineMs: 3000 },
    }),
    log: createLogger('work-pool', () => undefined),
    answerReserveMs: options.reserveMs,
  });
}

function request(type: 'Create' | 'Update' | 'Delete', extra: Record<string, unknown> = {}) {
  const requestId = `req-${++seq}`;
  return {
    RequestType: type,
    ServiceToken: STACK_PROPERTIES.ServiceToken,
    ResponseURL: receiver.url(requestId),
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/prefect-workers/guid',
    RequestId: requestId,
    LogicalResourceId: 'WorkPool',
    ResourceType: 'Custom::PrefectWorkPool',
    ResourceProperties: STACK_PROPERTIES,
    ...(type === 'Create' ? {} : { PhysicalResourceId: 'ecs-pool' }),
    ...extra,
  };
}

async function answer(h: ReturnType<typeof handler>, event: Record<string, unknown>, remainingMs = 120_000) {
  await h(event, { getRemainingTimeInMillis: () => remainingMs });
  const response = receiver.received.find((r) => r.body.RequestId === event.RequestId);
  if (!response) throw new Error('CloudFormation got no answer');
  return response;
}

describe('work pool custom resource', () => {
  it('creates the pool from the server ECS default with the stack settings and answers SUCCESS', async () => {
    const response = await answer(handler(), request('Create'));
    expect(response.method).toBe('PUT');
    expect(response.contentType).toBeUndefined();
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'ecs-pool', LogicalResourceId: 'WorkPool', Data: { WorkPoolName: 'ecs-pool' } });
    const pool = pools.get('ecs-pool')!;
    expect(pool.type).toBe('ecs');
    const task = flowRunTask(pool.base_job_template);
    expect(task.awsvpcConfiguration).toEqual({ subnets: STACK_PROPERTIES.Subnets, securityGroups: STACK_PROPERTIES.SecurityGroups, assignPublicIp: 'DISABLED' });
    expect(task.taskRoleArn).toBe(STACK_PROPERTIES.TaskRoleArn);
    expect(task.logOptions?.['awslogs-group']).toBe(STACK_PROPERTIES.LogGroupName);
    expect(prefect.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /work_pools/ecs-pool',
      'GET /collections/views/aggregate-worker-metadata',
      'POST /work_pools/',
    ]);
  });

  it('updates only the stack-owned fields and keeps a person\'s edits', async () => {
    await answer(handler(), request('Create'));
    const pool = pools.get('ecs-pool')!;
    pool.base_job_template.variables.properties.cpu.default = 4096;
    pool.base_job_template.variables.properties.env.default = { TEAM: 'data' };
    const moved = { ...STACK_PROPERTIES, Subnets: ['subnet-new'], LaunchType: 'FARGATE_SPOT' };
    const response = await answer(handler(), request('Update', { ResourceProperties: moved, OldResourceProperties: STACK_PROPERTIES }));
    expect(response.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'ecs-pool', Reason: 'work pool ecs-pool updated' });
    const vars = pools.get('ecs-pool')!.base_job_template.variables.properties;
    expect(vars.cpu.default).toBe(4096);
    expect(vars.env.default).toEqual({ TEAM: 'data' });
    expect(vars.network_configuration.default.subnets).toEqual(['subnet-new']);
    expect(vars.launch_type.default).toBe('FARGATE_SPOT');
  });

  it('adopts an existing ECS pool, and makes no write when nothing changed', async () => {
    await answer(handler(), request('Create'));
    prefect.requests.length = 0;
    const response = await answer(handler(), request('Update', { OldResourceProperties: STACK_PROPERTIES }));
    expect(response.body.Reason).toBe('work pool ecs-pool unchanged');
    expect(prefect.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('leaves the pool on Delete unless RemoveOnDelete is true', async () => {
    await answer(handler(), request('Create'));
    expect((await answer(handler(), request('Delete'))).body).toMatchObject({ Status: 'SUCCESS', Reason: expect.stringContaining('left work pool ecs-pool') });
    expect(pools.has('ecs-pool')).toBe(true);
    const remove = { ...STACK_PROPERTIES, RemoveOnDelete: 'true' };
    expect((await answer(handler(), request('Delete', { ResourceProperties: remove }))).body).toMatchObject({ Status: 'SUCCESS', Reason: 'deleted work pool ecs-pool' });
    expect(pools.has('ecs-pool')).toBe(false);
  });

  it('never deletes anything on the rollback of a create that failed', async () => {
    pools.set('ecs-pool', { id: 'x', name: 'ecs-pool', type: 'kubernetes', base_job_template: {} });
    const failed = await answer(handler(), request('Create'));
    expect(failed.body.Status).toBe('FAILED');
    expect(failed.body.Reason).toMatch(/exists with type "kubernetes", not "ecs"/);
    expect(failed.body.PhysicalResourceId.startsWith(FAILED_CREATE_PREFIX)).toBe(true);
    const rollback = request('Delete', { PhysicalResourceId: failed.body.PhysicalResourceId, ResourceProperties: { ...STACK_PROPERTIES, RemoveOnDelete: 'true' } });
    expect((await answer(handler(), rollback)).body.Status).toBe('SUCCESS');
    expect(pools.get('ecs-pool')!.type).toBe('kubernetes');
  });

  it('fails with an actionable reason on bad credentials', async () => {
    const response = await answer(handler('pnu_wrong'), request('Create'));
    expect(response.body.Status).toBe('FAILED');
    expect(response.body.Reason).toMatch(/^401 from Prefect on \/work_pools\/ecs-pool \(check the API key or auth string secret and the API URL\)/);
  });

  it('fails, still answering, when Prefect is down', async () => {
    prefect.injectFault({ status: 503, times: 100 });
    const response = await answer(handler(), request('Create'));
    expect(response.body).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^503 from Prefect/) });
  });

  it('answers before the Lambda times out when Prefect hangs', async () => {
    prefect.injectFault({ delayMs: 5000, times: 100 });
    const response = await answer(handler(API_KEY, { timeoutMs: 10_000, reserveMs: 1000 }), request('Create'), 2500);
    expect(response.body.Status).toBe('FAILED');
    expect(response.body.Reason).toMatch(/Prefect did not finish within 2 s/);
  });

  it('fails naming the property when the request is malformed', async () => {
    const response = await answer(handler(), request('Create', { ResourceProperties: { ...STACK_PROPERTIES, Subnets: 'x,,y' } }));
    expect(response.body).toMatchObject({ Status: 'FAILED', Reason: 'custom resource property Subnets must be a non-empty list of strings' });
  });

  it('drops an event with no ResponseURL (nobody to answer) without throwing', async () => {
    expect(await handler()({ hello: 'world' })).toEqual({ dropped: 'not a CloudFormation custom resource request' });
  });

  it('retries the answer when the response URL fails at first', async () => {
    receiver.failNext = 2;
    const response = await answer(handler(), request('Create'));
    expect(response.body.Status).toBe('SUCCESS');
  });

  it('updates the pool that a worker created between its read and its write', async () => {
    let first = true;
    const removeRoute = prefect.on('POST', '/work_pools/', (r) => {
      if (first) {
        first = false;
        pools.set('ecs-pool', { id: 'w', name: 'ecs-pool', type: 'ecs', base_job_template: (r.body as StoredPool).base_job_template });
        pools.get('ecs-pool')!.base_job_template.variables.properties.cluster.default = 'default';
        return { status: 409, body: { detail: 'exists' } };
      }
      return { status: 500 };
    });
    const response = await answer(handler(), request('Create'));
    expect(response.body).toMatchObject({ Status: 'SUCCESS', Reason: 'work pool ecs-pool updated' });
    expect(pools.get('ecs-pool')!.base_job_template.variables.properties.cluster.default).toBe('prefect-cluster');
    removeRoute();
  });
});
