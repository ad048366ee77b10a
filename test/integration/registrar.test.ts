/**
 * The registrar end to end: moto ECR (real digests from PutImage, a tag moved by a second push),
 * the manifest's JSON form in moto SSM, and the Prefect stand-in validating every request against
 * the OpenAPI schema. Duplicate, concurrent, out-of-order and lost events (repaired by the
 * reconcile), manifest edits without a push, blocks and variables (a secret's value in no log
 * line), a Prefect 2 server's 422, bad input, Prefect faults and a Prefect that hangs.
 */
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import fs from 'node:fs';
import { createLogger } from '../../lambdas/common/log';
import { parameterReader } from '../../lambdas/common/aws/jsonReaders';
import { createPrefectClient } from '../../lambdas/common/prefect/client';
import { createRegistrarHandler, type RegistrarDeps } from '../../lambdas/registrar/handler';
import { readManifest } from '../../lambdas/registrar/manifest/fromYaml';
import { CachedManifest } from '../../lambdas/registrar/manifestSource';
import { jsonEcr } from '../../lambdas/registrar/registration/images';
import { buildWorkerStack } from '../../templates/stacks/worker';
import { addDeploymentRoutes } from '../support/deploymentStandIn';
import { ACCOUNT, createRepository, imageActionEvent, pushImage } from '../support/ecrPush';
import { LambdaAsyncQueue } from '../support/lambdaAsyncQueue';
import { motoClientConfig, startMotoServer, TEST_CREDENTIALS, TEST_REGION, type MotoServer } from '../support/motoServer';
import { PrefectStandIn } from '../support/prefectStandIn';

const YAML = fs.readFileSync('test/fixtures/manifests/prefect.yaml', 'utf8');
/** What synth stores: the checked JSON form. */
const jsonForm = (yaml: string) => JSON.stringify(readManifest(yaml, 'prefect.yaml').document);
const MANIFEST = jsonForm(YAML);
const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
let moto: MotoServer;
let prefect: PrefectStandIn;
let store: ReturnType<typeof addDeploymentRoutes>;
let logs: Record<string, any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any

async function putManifest(name: string, text: string) {
  await new SSMClient(motoClientConfig(moto)).send(new PutParameterCommand({ Name: name, Value: text, Type: 'String', Overwrite: true }));
}

const aws = () => ({ region: TEST_REGION, endpoint: moto.endpoint, credentials: async () => TEST_CREDENTIALS });

const WATCHED = ['flows/etl', 'flows/reports'];

function registrar(manifestParameter = '/prefect/manifest', server: PrefectStandIn = prefect, overrides: Partial<RegistrarDeps> = {}) {
  return createRegistrarHandler({
    prefect: createPrefectClient({ apiUrl: server.url, authMode: 'none' }, {
      secrets: { get: async () => '', invalidate: () => undefined },
      http: { attempts: 2, baseDelayMs: 5, timeoutMs: 3000, deadlineMs: 6000 },
    }),
    // The Lambda's own signed JSON calls to ECR and SSM, against moto.
    ecr: jsonEcr(aws()),
    manifest: new CachedManifest(parameterReader(aws()), manifestParameter, {}, 0),
    log: createLogger('registrar', (line) => logs.push(JSON.parse(line))),
    workPool: 'ecs-pool',
    watchedRepositories: WATCHED,
    ...overrides,
  });
}

const manifestChanged = (name: string) => ({ version: '0', 'detail-type': 'Parameter Store Change', source: 'aws.ssm', account: ACCOUNT, region: TEST_REGION, detail: { operation: 'Update', name, type: 'String' } });
/** What the reconcile schedule sends (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html). */
const reconcile = () => ({ version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', account: ACCOUNT, region: TEST_REGION, time: new Date().toISOString(), resources: [], detail: {} });
const outcomes = (result: unknown) => (result as { deployments: { deployment: string; outcome: string }[] }).deployments.map((d) => `${d.deployment} ${d.outcome}`);
const imageOf = (d: Record<string, unknown> | undefined) => (d?.job_variables as { image?: string } | undefined)?.image;

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
      schedules: [expect.objectContaining({ schedule: { cron: '0 2 * * *', timezone: 'Europe/Berlin', day_or: true }, active: true })],
      tags: ['etl', 'nightly'],
      // As Prefect 3.6.28 answers a limit (responses.py:L433-L441): its own global concurrency limit.
      concurrency_limit: null,
      global_concurrency_limit: expect.objectContaining({ name: `deployment:${daily.id}`, limit: 1 }),
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

  it('removes a concurrency limit the manifest dropped, and then changes nothing', async () => {
    const digest = await pushImage(moto, 'flows/etl', 'v1.2.0');
    await registrar()(imageActionEvent('flows/etl', 'v1.2.0', digest));
    expect(store.byName('run-etl', 'etl-daily')!.global_concurrency_limit).toMatchObject({ limit: 1 });
    await putManifest('/prefect/unlimited', jsonForm(YAML.replace('    concurrency_limit: 1\n', '')));
    expect(outcomes(await registrar('/prefect/unlimited')(manifestChanged('/prefect/unlimited')))).toEqual(['run-etl/etl-daily updated', 'run-etl/etl-backfill unchanged', 'weekly-report/report skipped']);
    expect(prefect.requestsTo('/deployments/').at(-1)!.body).toMatchObject({ name: 'etl-daily', concurrency_limit: null });
    expect(store.byName('run-etl', 'etl-daily')).toMatchObject({ concurrency_limit: null, global_concurrency_limit: null });
    expect(outcomes(await registrar('/prefect/unlimited')(manifestChanged('/prefect/unlimited')))).toEqual(['run-etl/etl-daily unchanged', 'run-etl/etl-backfill unchanged', 'weekly-report/report skipped']);
    // Back to the limit of the shared manifest for the tests that follow.
    await registrar()(imageActionEvent('flows/etl', 'v1.2.0', digest));
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
    await putManifest('/prefect/broken', MANIFEST.replace('"paused":true', '"paused":"sometimes"'));
    const digest = await pushImage(moto, 'flows/reports', 'release-1');
    const bad = await registrar('/prefect/broken')(imageActionEvent('flows/reports', 'release-1', digest));
    expect(bad).toEqual({ ignored: expect.stringContaining('bad manifest: ssm:/prefect/broken: deployment "etl-backfill": paused must be a boolean') });
    expect(logs.find((l) => l.level === 'ERROR')!.message).toBe('bad manifest: fix it; this event is not retried');
    await putManifest('/prefect/broken', MANIFEST);
    const fixed = await registrar('/prefect/broken')(imageActionEvent('flows/reports', 'release-1', digest));
    expect((fixed as { deployments: { deployment: string }[] }).deployments.map((d) => d.deployment)).toEqual(['weekly-report/report']);
  });

  it('stops calling Prefect once it fails as a whole (503), so the event is retried; a garbage 2xx is a failure too; the retry completes', async () => {
    const digest = await pushImage(moto, 'flows/etl', 'v4.0.0');
    prefect.injectFault({ path: /^\/flows\/$/, status: 503, times: 10 });
    const before = prefect.requests.length;
    await expect(registrar()(imageActionEvent('flows/etl', 'v4.0.0', digest))).rejects.toThrow(
      'registration incomplete, retrying: run-etl/etl-daily retrying (503 from Prefect on /flows/: injected fault); run-etl/etl-backfill retrying (not tried: 503 from Prefect on /flows/: injected fault)',
    );
    // etl-daily's read and its two attempts at /flows/; nothing for etl-backfill.
    expect(prefect.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /deployments/name/run-etl/etl-daily', 'POST /flows/', 'POST /flows/']);
    prefect.clearFaults();
    prefect.injectFault({ path: /^\/deployments\/$/, status: 200, body: 'garbage', times: 2 });
    await expect(registrar()(imageActionEvent('flows/etl', 'v4.0.0', digest))).rejects.toThrow(/unexpected response from Prefect on \/deployments\/: body is not JSON/);
    prefect.clearFaults();
    expect(outcomes(await registrar()(imageActionEvent('flows/etl', 'v4.0.0', digest)))).toEqual(['run-etl/etl-daily updated', 'run-etl/etl-backfill updated']);
  });

  it('returns before the Lambda timeout when Prefect hangs: one call times out, the rest are not tried, every outcome is logged', async () => {
    const digest = await pushImage(moto, 'flows/etl', 'v4.0.1');
    prefect.injectFault({ delayMs: 2000, times: 20 });
    const hanging = registrar('/prefect/manifest', prefect, {
      prefect: createPrefectClient({ apiUrl: prefect.url, authMode: 'none' }, { secrets: { get: async () => '', invalidate: () => undefined }, http: { attempts: 2, baseDelayMs: 5, timeoutMs: 200, deadlineMs: 500 } }),
    });
    const started = Date.now();
    await expect(hanging(imageActionEvent('flows/etl', 'v4.0.1', digest))).rejects.toThrow(/run-etl\/etl-backfill retrying \(not tried: Prefect API unreachable on \/deployments\/name\/run-etl\/etl-daily/);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(logs.filter((l) => l.outcome === 'retrying').map((l) => l.deployment)).toEqual(['run-etl/etl-daily', 'run-etl/etl-backfill']);
    prefect.clearFaults();
    // With 10 s left of the invocation and a reserve of 35 s, no call starts at all.
    const late = registrar('/prefect/manifest', prefect, { reserveMs: 35_000 });
    const requests = prefect.requests.length;
    await expect(late(imageActionEvent('flows/etl', 'v4.0.1', digest), { getRemainingTimeInMillis: () => 10_000 })).rejects.toThrow(/etl-daily retrying \(stopped 10 s before the Lambda timeout; the rest waits for the retry\); run-etl\/etl-backfill retrying \(not tried: stopped 10 s/);
    expect(prefect.requests.length).toBe(requests);
  });

  it('a partial failure names each outcome: a deployment Prefect refuses (422) is logged, not retried, and the others are written', async () => {
    const digest = await pushImage(moto, 'flows/etl', 'v4.1.0');
    prefect.injectFault({
      path: /^\/deployments\/$/,
      when: (r) => (r.body as { name?: string }).name === 'etl-daily',
      status: 422,
      body: JSON.stringify({ exception_message: 'Invalid request received.', exception_detail: [{ type: 'value_error', loc: ['body'], msg: 'Value error, A deployment cannot have both a concurrency limit and a global concurrency limit.' }], request_body: { secret: 'x' } }),
    });
    const result = await registrar()(imageActionEvent('flows/etl', 'v4.1.0', digest));
    expect(outcomes(result)).toEqual(['run-etl/etl-daily failed', 'run-etl/etl-backfill updated']);
    const failed = logs.find((l) => l.outcome === 'failed')!;
    expect(failed).toMatchObject({ level: 'ERROR', deployment: 'run-etl/etl-daily', reason: '422 from Prefect on /deployments/: Invalid request received. body: Value error, A deployment cannot have both a concurrency limit and a global concurrency limit.' });
    expect(JSON.stringify(logs)).not.toContain('"secret"');
  });

  it('applies a manifest edit to the current images without a push, and a repeat changes nothing', async () => {
    const digest = await pushImage(moto, 'flows/etl', 'v5.0.0');
    await registrar()(imageActionEvent('flows/etl', 'v5.0.0', digest));
    const daily = store.byName('run-etl', 'etl-daily')!;
    const image = imageOf(daily);
    await putManifest('/prefect/manifest', jsonForm(YAML.replace('description: Nightly load into the warehouse', 'description: Nightly load, edited').replace('tags: [etl, nightly]', 'tags: [etl, nightly, edited]')));
    const result = await registrar()(manifestChanged('/prefect/manifest'));
    expect(outcomes(result)).toEqual(['run-etl/etl-daily updated', 'run-etl/etl-backfill unchanged', 'weekly-report/report unchanged']);
    const edited = store.byName('run-etl', 'etl-daily')!;
    expect(edited).toMatchObject({ description: 'Nightly load, edited', tags: ['etl', 'nightly', 'edited'], version: daily.version });
    expect(imageOf(edited)).toBe(image);
    expect(outcomes(await registrar()(manifestChanged('/prefect/manifest')))).toEqual(['run-etl/etl-daily unchanged', 'run-etl/etl-backfill unchanged', 'weekly-report/report unchanged']);
    await putManifest('/prefect/manifest', MANIFEST);
    await registrar()(manifestChanged('/prefect/manifest'));
  });

  it('the periodic reconcile registers a push whose event never arrived, and then changes nothing', async () => {
    const seen = await pushImage(moto, 'flows/etl', 'v5.1.0');
    await registrar()(imageActionEvent('flows/etl', 'v5.1.0', seen));
    await new Promise((r) => setTimeout(r, 1100)); // ECR push times have one-second resolution
    const lost = await pushImage(moto, 'flows/etl', 'v5.2.0'); // its event is lost
    expect(outcomes(await registrar()(reconcile()))).toEqual(['run-etl/etl-daily updated', 'run-etl/etl-backfill updated', 'weekly-report/report unchanged']);
    expect(imageOf(store.byName('run-etl', 'etl-daily'))).toBe(`${REGISTRY}/flows/etl@${lost}`);
    expect(store.byName('run-etl', 'etl-daily')!.version).toBe(`v5.2.0-${lost.slice(7, 19)}`);
    expect(outcomes(await registrar()(reconcile()))).toEqual(['run-etl/etl-daily unchanged', 'run-etl/etl-backfill unchanged', 'weekly-report/report unchanged']);
  });

  it('the reconcile does not throw for what may pass (its next run retries): no dead letters from a schedule', async () => {
    prefect.injectFault({ status: 503, times: 20 });
    const result = await registrar()(reconcile());
    expect(outcomes(result)).toEqual(['run-etl/etl-daily retrying', 'run-etl/etl-backfill retrying', 'weekly-report/report retrying']);
    expect(new Set(logs.filter((l) => l.outcome === 'retrying').map((l) => l.message))).toEqual(new Set(['deployment not registered yet: the next reconcile tries again']));
  });

  it('fails only the deployments that name another work pool than the stack\'s WorkPoolName, and counts them for the alarm', async () => {
    const metrics: Record<string, number>[] = [];
    const digest = await pushImage(moto, 'flows/etl', 'v5.3.0');
    // The stack was deployed with WorkPoolName=prod; etl-backfill names no pool, etl-daily names ecs-pool.
    await putManifest('/prefect/pools', jsonForm(YAML.replace('    paused: true\n    work_pool:\n      name: ecs-pool\n', '    paused: true\n    work_pool:\n')));
    const result = await registrar('/prefect/pools', prefect, { workPool: 'prod', metrics: (m) => metrics.push({ ...m }) })(imageActionEvent('flows/etl', 'v5.3.0', digest));
    expect((result as { deployments: { deployment: string; outcome: string; reason?: string }[] }).deployments).toEqual([
      expect.objectContaining({ deployment: 'run-etl/etl-daily', outcome: 'failed', reason: expect.stringContaining('work_pool.name is "ecs-pool", but the stack\'s workers poll "prod"') }),
      expect.objectContaining({ deployment: 'run-etl/etl-backfill', outcome: 'updated' }),
    ]);
    expect(store.byName('run-etl', 'etl-backfill')!.work_pool_name).toBe('prod');
    expect(metrics).toEqual([{ DeploymentsWritten: 1, DeploymentsFailed: 1, DeploymentsRetrying: 0, ManifestInvalid: 0 }]);
  });

  it('a repository the stack does not watch fails its deployments alone; the others\' edits apply', async () => {
    await putManifest('/prefect/manifest', jsonForm(YAML.replace('description: Nightly load into the warehouse', 'description: Nightly load, watched')));
    const result = await registrar('/prefect/manifest', prefect, { watchedRepositories: ['flows/reports'] })(manifestChanged('/prefect/manifest'));
    expect(outcomes(result)).toEqual(['run-etl/etl-daily failed', 'run-etl/etl-backfill failed', 'weekly-report/report unchanged']);
    expect((result as { deployments: { reason?: string }[] }).deployments[0]!.reason).toBe('repository flows/etl is not watched by the stack (watched: flows/reports): add it to WatchedRepositories (a stack update: the push rule and the registrar\'s role name each repository)');
    await putManifest('/prefect/manifest', MANIFEST);
  });

  it('never writes a secret block\'s value into a log line or an error, whatever refuses it', async () => {
    const SECRET = 'hunter2-S3CRET';
    store.blocks.set('secret/token', { value: SECRET });
    const digest = await pushImage(moto, 'flows/etl', 'v5.4.0');
    const expose = async (from: string, to: string, fault?: Parameters<PrefectStandIn['injectFault']>[0]) => {
      logs = [];
      await putManifest('/prefect/secret', jsonForm(YAML.replace(from, to)));
      if (fault) prefect.injectFault(fault);
      const result = await registrar('/prefect/secret')(imageActionEvent('flows/etl', 'v5.4.0', digest)).catch((error: Error) => ({ error: error.message }));
      prefect.clearFaults();
      return { text: JSON.stringify([result, logs]), result };
    };
    // tags that resolve to text, an interval that is no duration, and a job variable Prefect refuses quoting it.
    const tags = await expose('    tags: [etl, nightly]', "    tags: '{{ prefect.blocks.secret.token }}'");
    expect(tags.text).toContain('tags resolved to a string (from \\"{{ prefect.blocks.secret.token }}\\"), not a list');
    const refused = await expose('        cpu: 1024', "        cpu: '{{ prefect.blocks.secret.token }}'", {
      path: /^\/deployments\/$/,
      status: 422,
      body: JSON.stringify({ detail: `Error creating deployment: Validation failed for field 'cpu'. Failure reason: '${SECRET}' is not of type 'integer'` }),
    });
    expect(refused.text).toContain("Failure reason: '[block value]' is not of type 'integer'");
    for (const run of [tags, refused]) expect(run.text).not.toContain(SECRET);
    const yaml = YAML.replace('      - interval: 604800', "      - interval: '{{ prefect.blocks.secret.token }}'");
    await putManifest('/prefect/secret', jsonForm(yaml));
    const report = await pushImage(moto, 'flows/reports', 'release-secret');
    logs = [];
    const interval = await registrar('/prefect/secret')(imageActionEvent('flows/reports', 'release-secret', report));
    expect(JSON.stringify([interval, logs])).toContain('interval resolved to a string (from \\"{{ prefect.blocks.secret.token }}\\"), not a positive duration');
    expect(JSON.stringify([interval, logs])).not.toContain(SECRET);
  });

  it('resolves block and variable placeholders through the Prefect API; pull steps keep theirs for run time', async () => {
    store.blocks.set('json/etl-settings', { value: { cpu: 2048, queue: 'nightly' } });
    store.variables.set('owner', 'data-team');
    const yaml = YAML.replace('description: Nightly load into the warehouse', "description: 'owned by {{ prefect.variables.owner }}'")
      .replace('        cpu: 1024', "        cpu: '{{ prefect.blocks.json.etl-settings.cpu }}'")
      .replace('      directory: /opt/prefect/flows', "      directory: /opt/prefect/flows\n  - prefect.deployments.steps.git_clone:\n      repository: https://example.com/repo.git\n      access_token: '{{ prefect.blocks.secret.github-token }}'");
    await putManifest('/prefect/templated', jsonForm(yaml));
    const digest = await pushImage(moto, 'flows/etl', 'v6.0.0');
    expect(outcomes(await registrar('/prefect/templated')(imageActionEvent('flows/etl', 'v6.0.0', digest)))).toEqual(['run-etl/etl-daily updated', 'run-etl/etl-backfill updated']);
    const daily = store.byName('run-etl', 'etl-daily')!;
    expect(daily).toMatchObject({ description: 'owned by data-team', job_variables: { image: `${REGISTRY}/flows/etl@${digest}`, cpu: 2048, memory: 4096 } });
    expect(daily.pull_steps).toEqual(expect.arrayContaining([{ 'prefect.deployments.steps.git_clone': { repository: 'https://example.com/repo.git', access_token: '{{ prefect.blocks.secret.github-token }}' } }]));
    expect(prefect.requests.map((r) => r.path)).toContain('/block_types/slug/json/block_documents/name/etl-settings');
  });

  it('a missing block fails that deployment for good, naming it', async () => {
    await putManifest('/prefect/missing-block', jsonForm(YAML.replace('        cpu: 1024', "        cpu: '{{ prefect.blocks.json.nope }}'")));
    const digest = await pushImage(moto, 'flows/etl', 'v6.1.0');
    const result = await registrar('/prefect/missing-block')(imageActionEvent('flows/etl', 'v6.1.0', digest));
    expect((result as { deployments: { outcome: string; reason: string }[] }).deployments[0]).toMatchObject({ outcome: 'failed', reason: 'the block {{ prefect.blocks.json.nope }} does not exist in Prefect' });
  });

  it('registers 20 pushes in a row and ends at the newest image', async () => {
    for (let i = 0; i < 20; i++) {
      const digest = await pushImage(moto, 'flows/reports', `release-${100 + i}`);
      await registrar()(imageActionEvent('flows/reports', `release-${100 + i}`, digest));
    }
    expect(store.byName('weekly-report', 'report')!.version).toMatch(/^release-119-/);
  });
});

describe('registrar under concurrent pushes', () => {
  /** The registrar function's reserved concurrency, as the template sets it. */
  const reserved = (buildWorkerStack().Resources.RegistrarFunction as { Properties: { ReservedConcurrentExecutions?: number } }).Properties.ReservedConcurrentExecutions;

  /** Two pushes at once; the stand-in answers the older image's write late, the interleaving that lets it win. */
  async function race(concurrency: number, newerFirst: boolean): Promise<{ older: string; newer: string }> {
    const tag = `release-race-${concurrency}-${newerFirst}`;
    const older = await pushImage(moto, 'flows/reports', `${tag}-a`);
    await new Promise((r) => setTimeout(r, 1100)); // ECR push times have one-second resolution
    const newer = await pushImage(moto, 'flows/reports', `${tag}-b`);
    prefect.injectFault({ path: /^\/deployments\/$/, when: (r) => JSON.stringify(r.body).includes(older), delayMs: 600, times: 1 });
    const lambda = new LambdaAsyncQueue(registrar(), concurrency);
    const events = [imageActionEvent('flows/reports', `${tag}-a`, older), imageActionEvent('flows/reports', `${tag}-b`, newer)];
    await Promise.all((newerFirst ? events.reverse() : events).map((e) => lambda.invoke(e)));
    return { older, newer };
  }

  it('the template reserves a concurrency of 1 for the registrar', () => {
    expect(reserved).toBe(1);
  });

  it.each([false, true])('with that concurrency the older image never wins (newer event first: %s)', async (newerFirst) => {
    const { newer } = await race(reserved!, newerFirst);
    expect(imageOf(store.byName('weekly-report', 'report'))).toBe(`${REGISTRY}/flows/reports@${newer}`);
  });

  it('without it the race is real: the older image wins (why the reservation exists)', async () => {
    const { older } = await race(Infinity, false);
    expect(imageOf(store.byName('weekly-report', 'report'))).toBe(`${REGISTRY}/flows/reports@${older}`);
  });

  it('an event that waits in the queue past its maximum age is lost, and the reconcile registers its image', async () => {
    const first = await pushImage(moto, 'flows/reports', 'release-aged-a');
    await new Promise((r) => setTimeout(r, 1100)); // ECR push times have one-second resolution
    const second = await pushImage(moto, 'flows/reports', 'release-aged-b');
    prefect.injectFault({ path: /^\/deployments\/$/, delayMs: 400, times: 1 });
    const lambda = new LambdaAsyncQueue(registrar(), reserved!, 20, 100);
    await Promise.all([lambda.invoke(imageActionEvent('flows/reports', 'release-aged-a', first)), lambda.invoke(imageActionEvent('flows/reports', 'release-aged-b', second))]);
    expect(lambda.expired).toHaveLength(1);
    expect(imageOf(store.byName('weekly-report', 'report'))).toBe(`${REGISTRY}/flows/reports@${first}`);
    await lambda.invoke(reconcile());
    expect(imageOf(store.byName('weekly-report', 'report'))).toBe(`${REGISTRY}/flows/reports@${second}`);
  });
});

describe('registrar against a Prefect 2 server', () => {
  let old: PrefectStandIn;
  let oldStore: ReturnType<typeof addDeploymentRoutes>;
  beforeAll(async () => {
    old = await PrefectStandIn.start();
    oldStore = addDeploymentRoutes(old, { version: 2 });
  });
  afterAll(() => old?.close());

  it('sends concurrency_limit only when set: the 422 "extra fields not permitted" fails that deployment alone, with Prefect\'s message', async () => {
    const digest = await pushImage(moto, 'flows/etl', 'v7.0.0');
    const result = await registrar('/prefect/manifest', old)(imageActionEvent('flows/etl', 'v7.0.0', digest));
    expect((result as { deployments: { outcome: string; reason?: string }[] }).deployments).toEqual([
      expect.objectContaining({ deployment: 'run-etl/etl-daily', outcome: 'failed', reason: '422 from Prefect on /deployments/: Invalid request received. body.concurrency_limit: extra fields not permitted' }),
      expect.objectContaining({ deployment: 'run-etl/etl-backfill', outcome: 'created' }),
    ]);
    expect(oldStore.byName('run-etl', 'etl-backfill')).toMatchObject({ paused: true, job_variables: { image: `${REGISTRY}/flows/etl@${digest}` } });
    // A repeat reads infra_overrides back and writes nothing.
    expect(outcomes(await registrar('/prefect/manifest', old)(imageActionEvent('flows/etl', 'v7.0.0', digest)))).toEqual(['run-etl/etl-daily failed', 'run-etl/etl-backfill unchanged']);
  });
});
