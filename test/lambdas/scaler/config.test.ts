import { ConfigError } from '../../../lambdas/common/errors';
import { readScalerConfig } from '../../../lambdas/scaler/config';

const env = {
  PREFECT_API_URL: 'https://prefect.test/api',
  PREFECT_AUTH_MODE: 'api-key',
  PREFECT_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:p',
  WORK_POOL: 'ecs-pool',
  WORK_QUEUES: 'default, critical,',
  ECS_CLUSTER: 'c',
  ECS_SERVICE: 's',
  MIN_WORKERS: '0',
  MAX_WORKERS: '3',
  RUNS_PER_WORKER: '4',
  LOOKAHEAD_SECONDS: '300',
  IDLE_GRACE_SECONDS: '120',
};

describe('scaler config', () => {
  it('reads the settings the template sets', () => {
    const config = readScalerConfig(env);
    expect(config.workQueues).toEqual(['default', 'critical']);
    expect(config.settings).toEqual({ minWorkers: 0, maxWorkers: 3, runsPerWorker: 4, lookaheadSeconds: 300, idleGraceSeconds: 120 });
    expect(config.webhookTokenSecretArn).toBeUndefined();
  });

  it.each<[string, Record<string, string | undefined>, string]>([
    ['a missing pool', { WORK_POOL: undefined }, 'WORK_POOL is not set'],
    ['a bad auth mode', { PREFECT_AUTH_MODE: 'oauth' }, 'PREFECT_AUTH_MODE must be one of api-key|auth-string|none (got "oauth")'],
    ['a missing secret with api-key', { PREFECT_SECRET_ARN: '' }, 'PREFECT_SECRET_ARN is not set but PREFECT_AUTH_MODE is api-key'],
    ['a fractional limit', { RUNS_PER_WORKER: '1.5' }, 'RUNS_PER_WORKER must be a whole number from 1 to 100 (got "1.5")'],
    ['min above max', { MIN_WORKERS: '4' }, 'MIN_WORKERS (4) must not exceed MAX_WORKERS (3)'],
  ])('rejects %s naming the variable', (_name, change, message) => {
    expect(() => readScalerConfig({ ...env, ...change })).toThrow(ConfigError);
    expect(() => readScalerConfig({ ...env, ...change })).toThrow(message);
  });
});
