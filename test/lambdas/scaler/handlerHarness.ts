/** Builds a scaler handler with mocked AWS clients, a fake Prefect fetch and captured logs. */
import { DescribeServicesCommand, ECSClient, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createLogger } from '../../../lambdas/common/log';
import { createPrefectClient } from '../../../lambdas/common/prefect/client';
import { CachedSecretReader } from '../../../lambdas/common/aws/secrets';
import type { ScalerConfig } from '../../../lambdas/scaler/config';
import type { ScalerMemory } from '../../../lambdas/scaler/evaluate';
import { createScalerHandler } from '../../../lambdas/scaler/handler';
import { Budget } from '../../../lambdas/scaler/budget';

export const API_KEY = 'pnu_unit_test_key_do_not_log';
export const NOW = new Date('2026-11-21T12:00:00Z');

export const baseConfig: ScalerConfig = {
  prefect: { apiUrl: 'https://prefect.test/api', authMode: 'api-key', secretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prefect-AbCdEf' },
  workPool: 'ecs-pool',
  workQueues: [],
  cluster: 'prefect-cluster',
  service: 'prefect-worker',
  settings: { minWorkers: 0, maxWorkers: 3, submissionsPerWorker: 10, lookaheadSeconds: 300, idleGraceSeconds: 120 },
  stuckPending: { afterSeconds: 600, action: 'reschedule' },
  metricsNamespace: 'PrefectEcsStack',
  stackName: 'prefect-workers',
};

/**
 * Runs per state type ("TERMINAL" for the idle-grace count) and per state name (SUBMITTING: PENDING
 * named Pending or Submitting; AWAITING: AwaitingConcurrencySlot); the fake answers counts from it.
 */
export type FakeCounts = Partial<Record<'SCHEDULED' | 'PENDING' | 'SUBMITTING' | 'AWAITING' | 'RUNNING' | 'CANCELLING' | 'TERMINAL', number>>;

export type FakePrefect = (request: Request, body: any) => Response | Promise<Response>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A run being submitted right now, as `/flow_runs/filter` lists it. */
const submittingRun = (i: number) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  work_queue_name: 'default',
  infrastructure_pid: null,
  state: { id: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, type: 'PENDING', name: 'Submitting', timestamp: NOW.toISOString() },
});

/** A pool with one open queue, and counts per state type (every SCHEDULED run due now); SUBMITTING runs are listed too. */
export const countsPrefect = (counts: FakeCounts): FakePrefect => (request, body) => {
  const path = new URL(request.url).pathname.replace(/^\/api/, '');
  if (path === '/work_pools/ecs-pool') return Response.json({ name: 'ecs-pool', is_paused: false, concurrency_limit: null });
  if (path === '/work_pools/ecs-pool/queues/filter') return Response.json([{ name: 'default', is_paused: false, concurrency_limit: null }]);
  if (path === '/flow_runs/filter') {
    const listsSubmitting = body.flow_runs.state.name?.any_?.includes('Submitting') && body.flow_runs.state.type.any_.length === 1;
    return Response.json(listsSubmitting ? Array.from({ length: counts.SUBMITTING ?? 0 }, (_, i) => submittingRun(i)) : []);
  }
  const types: string[] = body.flow_runs.state.type.any_;
  const names: string[] | undefined = body.flow_runs.state.name?.any_;
  const key = names ? (names.includes('Submitting') ? 'SUBMITTING' : 'AWAITING') : types.length > 1 ? (types.includes('COMPLETED') ? 'TERMINAL' : 'PENDING+RUNNING') : types[0];
  return Response.json(counts[key as keyof FakeCounts] ?? 0);
};

/** An SQS batch of the trigger queue: each event with the epoch ms it was sent. */
export function sqsBatch(...messages: [unknown, number][]): { Records: unknown[] } {
  return {
    Records: messages.map(([event, sentAt], i) => ({
      messageId: `m${i}`,
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:triggers.fifo',
      body: JSON.stringify(event),
      attributes: { SentTimestamp: String(sentAt), MessageGroupId: 'scaler' },
    })),
  };
}

export function harness(options: { config?: Partial<ScalerConfig>; desired?: number; running?: number; prefect: FakePrefect; memory?: ScalerMemory; budget?: Budget }) {
  const ecs = mockClient(ECSClient);
  const sm = mockClient(SecretsManagerClient);
  ecs.on(DescribeServicesCommand).resolves({
    services: [{ serviceName: 'prefect-worker', status: 'ACTIVE', desiredCount: options.desired ?? 0, runningCount: options.running ?? 0, pendingCount: 0 }],
  });
  ecs.on(UpdateServiceCommand).resolves({});
  ecs.on(ListTasksCommand).resolves({ taskArns: [] });
  sm.on(GetSecretValueCommand, { SecretId: baseConfig.prefect.secretArn }).resolves({ SecretString: API_KEY });
  const logs: Record<string, any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const metrics: Record<string, unknown>[] = [];
  const prefectRequests: { request: Request; body: unknown }[] = [];
  const sleeps: number[] = [];
  const config = { ...baseConfig, ...options.config };
  const secrets = new CachedSecretReader(new SecretsManagerClient({ region: 'us-east-1' }));
  const budget = options.budget ?? new Budget();
  const prefect = createPrefectClient(config.prefect, {
    secrets,
    http: { attempts: 3, timeoutMs: 200, sleep: async () => undefined, deadlineAt: budget.prefectDeadlineAt },
    fetch: async (request) => {
      const body = request.method === 'GET' ? undefined : await request.clone().json().catch(() => undefined);
      prefectRequests.push({ request, body });
      return options.prefect(request, body);
    },
  });
  const memory: ScalerMemory = options.memory ?? {};
  const handler = createScalerHandler(config, {
    ecs: new ECSClient({ region: 'us-east-1' }),
    prefect,
    secrets,
    log: createLogger('scaler', (line) => logs.push(JSON.parse(line))),
    writeMetrics: (line) => metrics.push(line),
    now: () => NOW,
    memory,
    budget,
    sleep: async (ms) => void sleeps.push(ms),
  });
  const countRequests = () => prefectRequests.filter((r) => r.request.url.endsWith('/flow_runs/count'));
  return { handler, ecs, sm, logs, metrics, prefectRequests, countRequests, secrets, memory, sleeps, budget };
}
