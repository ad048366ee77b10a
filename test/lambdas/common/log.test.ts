import { createLogger, redact } from '../../../lambdas/common/log';
import { embeddedMetrics } from '../../../lambdas/common/metrics';

describe('structured logs', () => {
  it('writes one JSON object per line with level, time, service and fields', () => {
    const lines: string[] = [];
    createLogger('scaler', (l) => lines.push(l)).info('scaling decision', { desired: 2 });
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'INFO', service: 'scaler', message: 'scaling decision', desired: 2 });
    expect(JSON.parse(lines[0]!).timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('redacts credential-named fields at any depth but keeps ARNs', () => {
    expect(
      redact({ headers: { Authorization: 'Bearer x' }, apiKey: 'k', token: 't', nested: [{ password: 'p' }], secretArn: 'arn:aws:secretsmanager:x', PREFECT_API_AUTH_STRING: 'u:p' }),
    ).toEqual({ headers: { Authorization: '[redacted]' }, apiKey: '[redacted]', token: '[redacted]', nested: [{ password: '[redacted]' }], secretArn: 'arn:aws:secretsmanager:x', PREFECT_API_AUTH_STRING: '[redacted]' });
  });
});

describe('embedded metric format', () => {
  it('declares each metric with its unit under one namespace and dimension set', () => {
    const line = embeddedMetrics('PrefectEcsStack', { WorkPool: 'p' }, { DueRuns: { value: 3, unit: 'Count' } }, 1700000000000);
    expect(line).toEqual({
      _aws: { Timestamp: 1700000000000, CloudWatchMetrics: [{ Namespace: 'PrefectEcsStack', Dimensions: [['WorkPool']], Metrics: [{ Name: 'DueRuns', Unit: 'Count' }] }] },
      WorkPool: 'p',
      DueRuns: 3,
    });
  });
});
