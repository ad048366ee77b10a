/**
 * The registrar end to end: moto ECR (real digests from PutImage, a tag moved by a second push),
 * the manifest in moto SSM, and the Prefect stand-in validating every request against the
 * OpenAPI schema. Duplicate and out-of-order events, bad input and Prefect faults.
 */
import { ECRClient } from '@aws-sdk/client-ecr';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import fs from 'node:fs';
import { createLogger } from '../../lambdas/common/log';
import { createPrefectClient } from '../../lambdas/common/prefect/client';
import { createRegistrarHandler } from '../../lambdas/registrar/handler';
import { CachedManifest } from '../../lambdas/registrar/manifestSource';
import { addDeploymentRoutes } from '../support/deploymentStandIn';
import { ACCOUNT, createRepository, imageActionEvent, pushImage } from '../support/ecrPush';
import { motoClientConfig, startMotoServer, type MotoServer } from '../support/motoServer';
import { PrefectStandIn } from '../support/prefectStandIn';

const MANIFEST = fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8');
const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
let moto: MotoServer;
let prefect: PrefectStandIn;
let store: ReturnType<typeof addDeploymentRoutes>;
let logs: Record<string, any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any

async function putManifest(name: string, text: string) {
  await new SSMClient(motoClientConfig(moto)).send(new PutParameterCommand({ Name: name, Value: text, Type: 'String', Overwrite: true }));
}

function registrar(manifestParameter = '/prefect/manifest', ttlMs = 0) {
  return createRegistrarHandler({
    prefect: createPrefectClient({ apiUrl: prefect.url, authMode: 'none' }, {
      secrets: { get: async () => '', invalidate: () => undefined },
      http: { attempts: 2, baseDelayMs: 5, timeoutMs: 1000, deadlineMs: 3000 },
    }),
    ecr: new ECRClient(motoClientConfig(moto)),
    manifest: new CachedManifest(new SSMClient(motoClientConfig(moto)), manifestParameter, ttlMs),
    log: createLogger('registrar', (line) => logs.push(JSON.parse(line))),
    defaultWorkPool: 'ecs-pool',
  });
}

beforeAll(async () => {
  moto = await startMotoServer();
  prefect = await PrefectStandIn.start();
  store = addDeploymentRoutes(prefect);
  await createRepository(moto, 'flows/etl');
  await createRepository(moto, 'flows/reports');
  await putManifest('/prefect/manifest', MANIFEST);
});

afterAll(async () => {
  await prefect?.close();
  await moto?.stop();
});

beforeEach(() => {
  logs = [];
  prefect.clearFaults();
  prefect.validationErrors.length = 0;
});

afterEach(() => expect(prefect.validationErrors).toEqual([]));

describe('registrar', () => {
  it('creates the flow and the deployments of a push, pinned to the digest, with the manifest fields', async () => {
    const digest = await pushImage(moto, 'flows/etl', 'v1.0.0');
    const result = await registrar()(imageActionEvent('flows/etl', 'v1.0.0', digest));
    expect(result).toEqual({
      deployments: [
        expect.objectContaining({ deployment: 'run-etl/etl-daily', outcome: 'created', image: `${REGISTRY}/flows/etl@${digest}` }),
        expect.objectContaining({ deployment: 'run-etl/etl-backfill', outcome: 'created' }),
      ],
    });
    const daily = store.byName('run-etl', 'etl-daily')!;
    expect(daily).toMatchObject({
      entrypoint: 'flows/etl.py:run_etl',
      work_pool_name: 'ecs-pool',
      work_queue_name: 'nightly',
      version: `v1.0.0-${digest.slice(7, 19)}`,
      job_variables: { image: `${REGISTRY}/flows/etl@${digest}`, cpu: 1024, memory: 4096 },
      pull_steps: [{ 'prefect.deployments.steps.set_working_directory': { directory: '/opt/prefect/flows' } }],
      schedules: [{ schedule: { cron: '0 2 * * *', timezone: 'Europe/Berlin' }, active: true }],
      tags: ['etl', 'nightly'],
      concurrency_limit: 1,
      paused: false,
    });
    expect(store.byName('run-etl', 'etl-backfill')!.paused).toBe(true);
    expect(logs.filter((l) => l.message === 'deployment').map((l) => [l.deployment, l.outcome, l.id !== undefined])).toEqual([
      ['run-etl/etl-daily', 'created', true],
      ['run-etl/etl-backfill', 'created', true],
    ]);
  });

  it('changes nothing for a duplicate event', async () => {
    const digest = await pushImage(moto, 'flows/etl', 'v1.1.0');
    const event = imageActionEvent('flows/etl', 'v1.1.0', digest);
    await registrar()(event);
    const posts = prefect.requestsTo('/deployments/').length;
    const again = await registrar()(event);
    expect((again as { deployments: { outcome: string }[] }).deployments.map((d) => d.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(prefect.requestsTo('/deployments/').length).toBe(posts);
  });

  it('skips a push whose tag a newer push has moved', async () => {
    const first = await pushImage(moto, 'flows/etl', 'main');
    const second = await pushImage(moto, 'flows/etl', 'main');
    await registrar()(imageActionEvent('flows/etl', 'main', second));
    const late = await registrar()(imageActionEvent('flows/etl', 'main', first));
    expect((late as { deployments: { outcome: string; reason: string }[] }).deployments[0]).toMatchObject({
      outcome: 'skipped',
      reason: `superseded: flows/etl:main now points at ${second}`,
    });
    expect((store.byName('run-etl', 'etl-daily')!.job_variables as { image: string }).image).toBe(`${REGISTRY}/flows/etl@${second}`);
  });

  it('never leaves an older image deployed when events arrive out of order', async () => {
    const older = await pushImage(moto, 'flows/etl', 'v2.0.0');
    await new Promise((r) => setTimeout(r, 1100)); // ECR push times have one-second resolution
    const newer = await pushImage(moto, 'flows/etl', 'v2.1.0');
    await registrar()(imageActionEvent('flows/etl', 'v2.1.0', newer));
    const late = await registrar()(imageActionEvent('flows/etl', 'v2.0.0', older));
    expect((late as { deployments: { outcome: string; reason: string }[] }).deployments[0]).toMatchObject({ outcome: 'skipped', reason: `a newer image is deployed (${newer})` });
    expect((store.byName('run-etl', 'etl-daily')!.job_variables as { image: string }).image).toBe(`${REGISTRY}/flows/etl@${newer}`);
  });

  it('keeps a deployment a person paused paused, and updates the rest', async () => {
    const digest = await pushImage(moto, 'flows/etl', 'v3.0.0');
    await registrar()(imageActionEvent('flows/etl', 'v3.0.0', digest));
    store.byName('run-etl', 'etl-daily')!.paused = true;
    const next = await pushImage(moto, 'flows/etl', 'v3.1.0');
    const result = await registrar()(imageActionEvent('flows/etl', 'v3.1.0', next));
    expect((result as { deployments: { outcome: string }[] }).deployments[0]!.outcome).toBe('updated');
    expect(store.byName('run-etl', 'etl-daily')!.paused).toBe(true);
  });

  it.each<[string, () => Promise<unknown>]>([
    ['a DELETE action', async () => imageActionEvent('flows/etl', 'v1.0.0', `sha256:${'1'.repeat(64)}`, { 'action-type': 'DELETE' })],
    ['a FAILURE result', async () => imageActionEvent('flows/etl', 'v1.0.0', `sha256:${'1'.repeat(64)}`, { result: 'FAILURE' })],
    ['a missing digest', async () => imageActionEvent('flows/etl', 'v1.0.0', undefined)],
    ['a missing tag', async () => imageActionEvent('flows/etl', undefined, `sha256:${'1'.repeat(64)}`)],
    ['an unknown repository', async () => imageActionEvent('flows/unknown', 'v1.0.0', `sha256:${'1'.repeat(64)}`)],
    ['a tag no pattern matches', async () => imageActionEvent('flows/etl', 'feature-x', `sha256:${'1'.repeat(64)}`)],
    ['garbage', async () => ({ hello: 'world' })],
  ])('ignores %s without a Prefect call', async (_name, makeEvent) => {
    const before = prefect.requests.length;
    expect(await registrar()(await makeEvent())).toHaveProperty('ignored');
    expect(prefect.requests.length).toBe(before);
  });

  it('reports a bad manifest and does not retry it; an edited manifest applies without redeploy', async () => {
    await putManifest('/prefect/broken', MANIFEST.replace('paused: true', 'paused: sometimes'));
    const digest = await pushImage(moto, 'flows/reports', 'release-1');
    const bad = await registrar('/prefect/broken')(imageActionEvent('flows/reports', 'release-1', digest));
    expect(bad).toEqual({ ignored: expect.stringContaining('bad manifest: ssm:/prefect/broken: deployment "etl-backfill"/paused') });
    expect(logs.find((l) => l.level === 'ERROR')!.message).toBe('bad manifest: fix it; this push is not retried');
    await putManifest('/prefect/broken', MANIFEST);
    const fixed = await registrar('/prefect/broken')(imageActionEvent('flows/reports', 'release-1', digest));
    expect((fixed as { deployments: { deployment: string }[] }).deployments.map((d) => d.deployment)).toEqual(['weekly-report/report']);
  });

  it('throws on Prefect faults so EventBridge retries, then the DLQ keeps the event', async () => {
    const digest = await pushImage(moto, 'flows/etl', 'v4.0.0');
    prefect.injectFault({ path: /^\/flows\/$/, status: 503, times: 10 });
    await expect(registrar()(imageActionEvent('flows/etl', 'v4.0.0', digest))).rejects.toThrow(/503 from Prefect on \/flows\//);
    prefect.clearFaults();
    prefect.injectFault({ path: /^\/deployments\/$/, status: 200, body: 'garbage', times: 10 });
    await expect(registrar()(imageActionEvent('flows/etl', 'v4.0.0', digest))).rejects.toThrow(/unexpected response from Prefect on \/deployments\/: body is not JSON/);
  });

  it('measures end-to-end registration time (median of 20)', async () => {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const digest = await pushImage(moto, 'flows/reports', `release-${100 + i}`);
      const started = performance.now();
      await registrar()(imageActionEvent('flows/reports', `release-${100 + i}`, digest));
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`registration end to end against moto ECR/SSM and the stand-in: median ${times[10]!.toFixed(1)} ms, max ${times[19]!.toFixed(1)} ms (n=20)`);
    expect(store.byName('weekly-report', 'report')!.version).toMatch(/^release-119-/);
  });
});
