/**
 * The bundles Lambda runs, not the TypeScript: build/lambdas/scaler/index.mjs and
 * scaler-webhook/index.mjs are imported in a fresh Node process the way the Lambda runtime does,
 * with credentials in environment variables (as Lambda provides them), against moto_server and
 * the Prefect stand-in.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleLambdas } from '../../scripts/lib/bundle';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ScalerWebhookEnv } from '../../lambdas/scaler-webhook/env';
import { ScalerEnv } from '../../lambdas/scaler/env';
import webhook from '../fixtures/events/scaler/webhook.json';
import { scalerEnvironment } from '../fixtures/scalerEnvironment';
import scheduled from '../fixtures/events/scaler/scheduled.json';
import { createSecret, createWorkerService, desiredCountOf } from '../support/motoEcs';
import { TEST_REGION, motoClientConfig, startMotoServer, type MotoServer } from '../support/motoServer';
import { PrefectStandIn } from '../support/prefectStandIn';
import { runNode } from '../support/runNode';

let moto: MotoServer;
let prefect: PrefectStandIn;
let bundles: Record<string, string>;
let out: string;

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-bundle-'));
  bundles = Object.fromEntries((await bundleLambdas(undefined, out)).map((b) => [b.name, b.file]));
  moto = await startMotoServer();
  prefect = await PrefectStandIn.start('Bearer pnu_bundle_key');
});

afterAll(async () => {
  await prefect?.close();
  await moto?.stop();
  fs.rmSync(out, { recursive: true, force: true });
});

const LAMBDA_CREDENTIALS = () => ({
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
  AWS_REGION: TEST_REGION,
  AWS_ENDPOINT_URL: moto.endpoint,
});

/** Runs the handler in a fresh Node process, as the Lambda runtime imports it. */
async function invoke(event: unknown, env: Record<string, string>, fn = 'scaler'): Promise<{ result: unknown; stdout: string; stderr: string }> {
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(bundles[fn]!).href)});
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
      ...LAMBDA_CREDENTIALS(),
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

  // The Lambda runtime reports an escaped error as errorType: error.name, and the logs name it too:
  // minification must not turn ConfigError into a two-letter name (the bundler keeps names).
  it.each(['scaler', 'scaler-webhook', 'registrar', 'work-pool'])('the %s bundle fails at start with an error named as in the source', async (fn) => {
    const script = `try { await import(${JSON.stringify(pathToFileURL(bundles[fn]!).href)}); } catch (e) { process.stdout.write('ERROR ' + e.name + ': ' + e.message); }`;
    const { stdout } = await runNode(['--input-type=module', '-e', script], { PATH: process.env.PATH, AWS_REGION: TEST_REGION });
    expect(stdout).toMatch(/^ERROR ConfigError: [A-Z_]+ is not set$/);
  });

  it('the webhook bundle queues an evaluation on the FIFO queue', async () => {
    const sqs = new SQSClient(motoClientConfig(moto));
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'bundle-triggers.fifo', Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' } }))).QueueUrl!;
    const tokenArn = await createSecret(moto, 'bundle-webhook-token', 'correct-horse-battery-staple');
    const env = { ...LAMBDA_CREDENTIALS(), [ScalerWebhookEnv.TriggerQueueUrl]: queueUrl, [ScalerWebhookEnv.WebhookTokenSecretArn]: tokenArn };
    const { result, stderr } = await invoke(webhook, env, 'scaler-webhook');
    expect(stderr).toBe('');
    expect(result).toMatchObject({ statusCode: 202 });
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ['MessageGroupId'] }));
    expect(received.Messages).toHaveLength(1);
    expect(JSON.parse(received.Messages![0]!.Body!)).toMatchObject({ source: 'prefect-ecs-stack.webhook', 'detail-type': 'Scaler Webhook' });
  });
});
