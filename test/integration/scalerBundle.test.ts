/**
 * The bundle Lambda runs, not the TypeScript: build/lambdas/scaler/index.mjs is imported in a
 * fresh Node process the way the Lambda runtime does, with credentials in environment variables
 * (as Lambda provides them), against moto_server and the Prefect stand-in.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleLambdas } from '../../scripts/lib/bundle';
import { ScalerEnv } from '../../lambdas/scaler/env';
import { scalerEnvironment } from '../fixtures/scalerEnvironment';
import scheduled from '../fixtures/events/scaler/scheduled.json';
import { createSecret, createWorkerService, desiredCountOf } from '../support/motoEcs';
import { TEST_REGION, startMotoServer, type MotoServer } from '../support/motoServer';
import { PrefectStandIn } from '../support/prefectStandIn';
import { runNode } from '../support/runNode';

let moto: MotoServer;
let prefect: PrefectStandIn;
let bundle: string;

beforeAll(async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-bundle-'));
  bundle = (await bundleLambdas(undefined, out)).find((b) => b.name === 'scaler')!.file;
  moto = await startMotoServer();
  prefect = await PrefectStandIn.start('Bearer pnu_bundle_key');
});

afterAll(async () => {
  await prefect?.close();
  await moto?.stop();
});

/** Runs the handler in a fresh Node process, as the Lambda runtime imports it. */
async function invoke(event: unknown, env: Record<string, string>): Promise<{ result: unknown; stdout: string; stderr: string }> {
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
const result = await handler(JSON.parse(process.env.EVENT));
process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n', () => process.exit(0));`;
  // Only PATH and the given variables: the credentials are the ones Lambda would set, nothing else.
  const { stdout, stderr } = await runNode(['--input-type=module', '-e', script], { PATH: process.env.PATH, EVENT: JSON.stringify(event), ...env });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  return { result: line ? JSON.parse(line.slice(7)) : undefined, stdout, stderr };
}

describe('the scaler bundle', () => {
  it('scales the service when run as Lambda runs it', async () => {
    await createWorkerService(moto, 'bundle-cluster', 'bundle-worker', 0);
    const secretArn = await createSecret(moto, 'bundle-key', 'pnu_bundle_key');
    prefect.flowRuns = [{ id: 'r', work_pool_name: 'ecs-pool', work_queue_name: 'default', state_type: 'PENDING' }];
    const { result, stdout, stderr } = await invoke(scheduled, {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_SESSION_TOKEN: 'testing',
      AWS_REGION: TEST_REGION,
      AWS_ENDPOINT_URL: moto.endpoint,
      ...scalerEnvironment({
        [ScalerEnv.ApiUrl]: prefect.url,
        [ScalerEnv.AuthMode]: 'api-key',
        [ScalerEnv.SecretArn]: secretArn,
        [ScalerEnv.Cluster]: 'bundle-cluster',
        [ScalerEnv.Service]: 'bundle-worker',
        [ScalerEnv.StackName]: 'bundle-test',
      }),
    });
    expect(stderr).toBe('');
    expect(result).toMatchObject({ desired: 1, previous: 0, reason: 'scale-out', changed: true });
    expect(await desiredCountOf(moto, 'bundle-cluster', 'bundle-worker')).toBe(1);
    const lines = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(lines.find((l) => l.message === 'scaling decision')).toMatchObject({ level: 'INFO', service: 'scaler', desired: 1 });
    expect(lines.find((l) => l._aws)).toMatchObject({ StackName: 'bundle-test', WorkPool: 'ecs-pool', PendingRuns: 1 });
    expect(stdout).not.toContain('pnu_bundle_key');
  });

  it('fails at start with a message naming a missing setting', async () => {
    const { stderr } = await invoke(scheduled, { AWS_REGION: TEST_REGION });
    expect(stderr).toContain('PREFECT_AUTH_MODE is not set');
  });
});
