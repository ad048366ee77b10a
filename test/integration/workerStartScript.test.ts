/**
 * The worker's start script, run by a real sh with a `prefect` that records its arguments and a
 * local stand-in of the ECS task metadata endpoint v4 (the `/task` answer carries `TaskARN`:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-metadata-endpoint-v4-fargate.html).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { workerTaskId } from '../../lambdas/scaler/prefectWorker';
import { WORKER_START_SCRIPT } from '../../templates/worker/ecs';

const TASK_ID = '0123456789abcdef0123456789abcdef';
let dir: string;
let metadata: http.Server;
let metadataUrl: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pes-worker-start-'));
  fs.writeFileSync(path.join(dir, 'prefect'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$ARGS_FILE"\n', { mode: 0o755 });
  metadata = http.createServer((req, res) => {
    if (req.url !== '/v4/container-1/task') return void res.writeHead(404).end();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ Cluster: 'prefect-cluster', TaskARN: `arn:aws:ecs:us-east-1:123456789012:task/prefect-cluster/${TASK_ID}`, Family: 'worker' }));
  });
  await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
  metadataUrl = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}/v4/container-1`;
});

afterAll(async () => {
  await new Promise((resolve) => metadata.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string>): Promise<string[]> {
  const argsFile = path.join(dir, `args-${Math.random()}`);
  await promisify(execFile)('/bin/sh', ['-c', WORKER_START_SCRIPT], {
    env: {
      PATH: `${dir}:${process.env.PATH}`,
      HOME: process.env.HOME ?? dir,
      ARGS_FILE: argsFile,
      PREFECT_ECS_STACK_WORK_POOL: 'ecs-pool',
      PREFECT_ECS_STACK_SUBMISSIONS_PER_WORKER: '10',
      PREFECT_ECS_STACK_WORK_QUEUES: 'critical,bulk',
      ...env,
    },
  });
  return fs.readFileSync(argsFile, 'utf8').trim().split('\n');
}

const base = ['worker', 'start', '--pool', 'ecs-pool', '--type', 'ecs', '--with-healthcheck', '--limit', '10'];

describe('the worker start script', () => {
  it('names the worker after its ECS task, which the scaler reads back from the run\'s worker label', async () => {
    const args = await start({ ECS_CONTAINER_METADATA_URI_V4: metadataUrl });
    expect(args).toEqual([...base, '--name', `ecs-task-${TASK_ID}`, '--work-queue', 'critical', '--work-queue', 'bulk']);
    expect(workerTaskId(args[args.indexOf('--name') + 1])).toBe(TASK_ID);
  });

  it('starts with Prefect\'s own name when there is no metadata endpoint, or it does not answer', async () => {
    expect(await start({})).toEqual([...base, '--work-queue', 'critical', '--work-queue', 'bulk']);
    expect(await start({ ECS_CONTAINER_METADATA_URI_V4: `${metadataUrl}/nowhere`, PREFECT_ECS_STACK_WORK_QUEUES: '' })).toEqual(base);
  });
});
