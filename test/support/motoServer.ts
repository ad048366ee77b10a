/**
 * Starts moto_server on a free 127.0.0.1 port and stops it by pid. Each test file gets its own
 * server, so tests never share AWS state. Credentials are dummies; nothing leaves loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { pythonTool } from '../../scripts/lib/run';

export interface MotoServer {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** Client settings that point an AWS SDK v3 client at moto. */
export const motoClientConfig = (server: MotoServer) => ({ endpoint: server.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilListening(port: number, child: ChildProcess, deadlineMs: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < deadlineMs) {
    if (child.exitCode !== null) throw new Error(`moto_server exited early with code ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/moto-api/`);
      if (response.ok || response.status === 404) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not listen on 127.0.0.1:${port} within ${deadlineMs} ms`);
}

export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const child = spawn(pythonTool('moto_server'), ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: TEST_REGION },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    await waitUntilListening(port, child, 20_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  const pid = child.pid!;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(pid, 'SIGTERM');
        setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 3000).unref();
      }),
  };
}
