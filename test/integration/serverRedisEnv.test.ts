/**
 * The shell wrapper of the HA server containers (templates/server/containers.ts), run by a real
 * /bin/sh as the image's entrypoint runs it: `sh -c <script> prefect-redis-env <command...>`.
 */
import { spawnSync } from 'node:child_process';
import { REDIS_ENV_SCRIPT } from '../../templates/server/containers';

const TOKEN = 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4y5Z6a7B8c9D0e1F2';
const ECS_ENV = {
  PATH: process.env.PATH,
  PREFECT_REDIS_MESSAGING_HOST: 'master.prefect-cache.abc123.use1.cache.amazonaws.com',
  PREFECT_REDIS_MESSAGING_PORT: '6379',
  PREFECT_REDIS_MESSAGING_USERNAME: 'default',
  PREFECT_REDIS_MESSAGING_PASSWORD: TOKEN,
};

function run(env: Record<string, string | undefined>, ...command: string[]) {
  const result = spawnSync('/bin/sh', ['-c', REDIS_ENV_SCRIPT, 'prefect-redis-env', ...command], { env: env as NodeJS.ProcessEnv, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the Redis settings wrapper of the HA server containers', () => {
  it('exports the Docket URL with the token, TLS and database 1, and an empty messaging username, then runs the command with its arguments', () => {
    const { status, stdout } = run(ECS_ENV, 'env');
    expect(status).toBe(0);
    const env = Object.fromEntries(stdout.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    const docket = new URL(env.PREFECT_SERVER_DOCKET_URL!);
    expect({ protocol: docket.protocol, username: docket.username, password: docket.password, host: docket.hostname, port: docket.port, path: docket.pathname }).toEqual({
      protocol: 'rediss:',
      username: '',
      password: TOKEN,
      host: ECS_ENV.PREFECT_REDIS_MESSAGING_HOST,
      port: '6379',
      path: '/1',
    });
    // redis-py then sends AUTH <token> (redis/redis-py redis/credentials.py, UsernamePasswordCredentialProvider).
    expect(env.PREFECT_REDIS_MESSAGING_USERNAME).toBe('');
    expect(env.PREFECT_REDIS_MESSAGING_PASSWORD).toBe(TOKEN);
  });

  it('passes the arguments through as they are (one word each, nothing re-split)', () => {
    const { status, stdout } = run(ECS_ENV, 'printf', '[%s]', 'server', 'start', '--keep-alive-timeout', '65', 'two words');
    expect(status).toBe(0);
    expect(stdout).toBe('[server][start][--keep-alive-timeout][65][two words]');
  });

  it('refuses to start without the token (ECS did not inject the secret) instead of connecting without auth', () => {
    const { PREFECT_REDIS_MESSAGING_PASSWORD: _, ...withoutToken } = ECS_ENV;
    const { status, stdout, stderr } = run(withoutToken, 'echo', 'started');
    expect(status).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/PREFECT_REDIS_MESSAGING_PASSWORD/);
  });
});
