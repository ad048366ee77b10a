/** The worker ECS service: read its counts, set its desired count. */
import { DescribeServicesCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { WorkerServiceNotFoundError } from './errors';

export interface ServiceCounts {
  readonly desired: number;
  readonly running: number;
  readonly pending: number;
}

export type EcsSender = Pick<ECSClient, 'send'>;

export async function describeWorkerService(ecs: EcsSender, cluster: string, service: string, abortSignal?: AbortSignal): Promise<ServiceCounts> {
  const output = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }), { abortSignal });
  const found = output.services?.find((s) => s.serviceName === service || s.serviceArn === service || s.serviceArn?.endsWith(`/${service}`));
  if (!found) throw new WorkerServiceNotFoundError(cluster, service, output.failures?.[0]?.reason ?? 'not in the DescribeServices answer');
  if (found.status !== 'ACTIVE') throw new WorkerServiceNotFoundError(cluster, service, `status ${found.status}`);
  return { desired: found.desiredCount ?? 0, running: found.runningCount ?? 0, pending: found.pendingCount ?? 0 };
}

export async function setDesiredCount(ecs: EcsSender, cluster: string, service: string, desiredCount: number, abortSignal?: AbortSignal): Promise<void> {
  await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount }), { abortSignal });
}
