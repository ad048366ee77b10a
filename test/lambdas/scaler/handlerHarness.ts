/** Builds a scaler handler with mocked AWS clients, a fake Prefect fetch and captured logs. */
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createLogger } from '../../../lambdas/common/log';
import { createPrefectClient } from '../../../lambdas/common/prefect/client';
import { CachedSecretReader } from '../../../lambdas/common/aws/secrets';
import type { ScalerConfig } from '../../../lambdas/scaler/config';
import { createScalerHandler } from '../../../lambdas/scaler/handler';

export const API_KEY = 'pnu_unit_test_key_do_not_log';
export const WEBHOOK_TOKEN = 'correct-horse-battery-staple';

export const baseConfig: ScalerConfig = {
  prefect: { apiUrl: 'https://prefect.test/api', authMode: 'api-key', secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prefect-AbCdEf' },
  workPool: 'ecs-pool',
  workQueues: [],
  cluster: 'prefect-cluster',
  service: 'prefect-worker',
  settings: { minWorkers: 0, maxWorkers: 3, runsPerWorker: 4, lookaheadSeconds: 300, idleGraceSeconds: 120 },
  webhookTokenSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:webhook-token-AbCdEf',
  metricsNamespace: 'PrefectEcsStack',
  stackName: 'prefect-workers',
};

/** Demand per state type; the fake answers /flow_runs/count from it. */
export type FakeCounts = Partial<Record<'SCHEDULED' | 'PENDING' | 'RUNNING' | 'CANCELLING' | 'TERMINAL', number>>;

export type FakePrefect = (request: Request, body: any) => Response | Promise<Response>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const countsPrefect = (counts: FakeCounts): FakePrefect => (_request, body) => {
  const types: string[] = body.flow_runs.state.type.any_;
  const key = types.length > 1 ? 'TERMINAL' : types[0];
  return Response.json(counts[key as keyof FakeCounts] ?? 0);
};

export function harness(options: { config?: Partial<ScalerConfig>; desired?: number; running?: number; prefect: FakePrefect }) {
  const ecs = mockClient(ECSClient);
  const sm = mockClient(SecretsManagerClient);
  ecs.on(DescribeServicesCommand).resolves({
    services: [{ serviceName: 'prefect-worker', status: 'ACTIVE', desiredCount: options.desired ?? 0, runningCount: options.running ?? 0, pendingCount: 0 }],
  });
  ecs.on(UpdateServiceCommand).resolves({});
  sm.on(GetSecretValueCommand, { SecretId: baseConfig.prefect.secretArn }).resolves({ SecretString: API_KEY });
  sm.on(GetSecretValueCommand, { SecretId: baseConfig.webhookTokenSecretArn }).resolves({ SecretString: WEBHOOK_TOKEN });
  const logs: Record<string, any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const metrics: Record<string, unknown>[] = [];
  const prefectRequests: { request: Request; body: unknown }[] = [];
  const config = { ...baseConfig, ...options.config };
  const secrets = new CachedSecretReader(new SecretsManagerClient({ region: 'us-east-1' }));
  const prefect = createPrefectClient(config.prefect, {
    secrets,
    http: { attempts: 3, timeoutMs: 200, sleep: async () => undefined },
    fetch: async (request) => {
      const body = request.method === 'GET' ? undefined : await request.clone().json().catch(() => undefined);
      prefectRequests.push({ request, body });
      return options.prefect(request, body);
    },
  });
  const handler = createScalerHandler(config, {
    ecs: new ECSClient({ region: 'us-east-1' }),
    prefect,
    secrets,
    log: createLogger('scaler', (line) => logs.push(JSON.parse(line))),
    writeMetrics: (line) => metrics.push(line),
    now: () => new Date('2026-11-21T12:00:00Z'),
  });
  return { handler, ecs, sm, logs, metrics, prefectRequests, secrets };
}
