import { ConfigError } from '../../../lambdas/common/errors';
import { readScalerConfig } from '../../../lambdas/scaler/config';
import { ScalerEnv } from '../../../lambdas/scaler/env';
import { scalerEnvironment } from '../../fixtures/scalerEnvironment';

const env = scalerEnvironment({
  [ScalerEnv.AuthMode]: 'api-key',
  [ScalerEnv.SecretArn]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:p',
  [ScalerEnv.WorkQueues]: 'default, critical,',
});

describe('scaler config', () => {
  it('reads the settings the template sets', () => {
    const config = readScalerConfig(env);
    expect(config.workQueues).toEqual(['default', 'critical']);
    expect(config.settings).toEqual({ minWorkers: 0, maxWorkers: 3, submissionsPerWorker: 10, lookaheadSeconds: 300, idleGraceSeconds: 120 });
    expect(config.stuckPending).toEqual({ afterSeconds: 600, action: 'reschedule' });
  });

  it.each<[string, Record<string, string | undefined>, string]>([
    ['a missing pool', { [ScalerEnv.WorkPool]: undefined }, 'WORK_POOL is not set'],
    ['a bad auth mode', { [ScalerEnv.AuthMode]: 'oauth' }, 'PREFECT_AUTH_MODE must be one of api-key|auth-string|none (got "oauth")'],
    ['a missing secret with api-key', { [ScalerEnv.SecretArn]: '' }, 'PREFECT_SECRET_ARN is not set but PREFECT_AUTH_MODE is api-key'],
    ['a fractional limit', { [ScalerEnv.SubmissionsPerWorker]: '1.5' }, 'SUBMISSIONS_PER_WORKER must be a whole number from 1 to 100 (got "1.5")'],
    ['min above max', { [ScalerEnv.MinWorkers]: '4' }, 'MIN_WORKERS (4) must not exceed MAX_WORKERS (3)'],
    ['a stuck threshold shorter than a submission can take', { [ScalerEnv.StuckPendingSeconds]: '30' }, 'STUCK_PENDING_SECONDS must be a whole number from 120 to 86400 (got "30")'],
    ['an unknown stuck action', { [ScalerEnv.StuckPendingAction]: 'delete' }, 'STUCK_PENDING_ACTION must be one of reschedule|crash|off (got "delete")'],
  ])('rejects %s naming the variable', (_name, change, message) => {
    expect(() => readScalerConfig({ ...env, ...change })).toThrow(ConfigError);
    expect(() => readScalerConfig({ ...env, ...change })).toThrow(message);
  });
});
