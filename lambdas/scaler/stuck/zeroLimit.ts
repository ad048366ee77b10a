/**
 * Finds deployments whose concurrency limit is 0: the server aborts every PENDING proposal of
 * their runs and leaves them Scheduled/Late (3.6.28:src/prefect/server/orchestration/
 * core_policy.py:592-596), so their runs stay due for good while a worker is up. It looks at the
 * oldest runs overdue by more than StuckPendingSeconds (AwaitingConcurrencySlot and AwaitingRetry
 * runs are overdue for reasons of their own) and reads each deployment at most once per finding
 * TTL. demand/leftOut.ts then leaves their due runs out.
 */
import type { PrefectClient } from '../../common/prefect/client';
import type { components } from '../../common/prefect/schema';
import { iso, listBody } from '../demand/bodies';
import { listRuns } from '../demand/listed';
import { liveKeys, remember, type ScalerMemory } from '../memory';
import { AWAITING_SLOT_STATE_NAME } from '../prefectWorker';
import type { SweepScope } from './candidates';
import type { DeploymentLimitsReader } from './deployments';

type StateType = components['schemas']['StateType'];

const OVERDUE_LIMIT = 20;
/** Deployments read per tick, at most. */
export const MAX_DEPLOYMENT_READS = 5;

export async function findZeroLimitDeployments(
  prefect: PrefectClient,
  scope: SweepScope & { readonly now: Date; readonly afterSeconds: number },
  deployments: DeploymentLimitsReader,
  memory: ScalerMemory,
): Promise<string[]> {
  const queues = scope.workQueues.length > 0 ? scope.workQueues : undefined;
  const filter = { state: { type: { any_: ['SCHEDULED' as StateType] } }, next_scheduled_start_time: { before_: iso(scope.now, -scope.afterSeconds) } };
  const overdue = await listRuns(prefect, listBody(scope.workPool, queues, filter, 'NEXT_SCHEDULED_START_TIME_ASC', OVERDUE_LIMIT));
  const at = scope.now.getTime();
  const checked = (memory.checkedDeployments ??= new Map());
  const known = new Set([...liveKeys(checked, at), ...liveKeys(memory.zeroLimitDeployments, at)]);
  const toRead = [
    ...new Set(overdue.filter((run) => run.stateName !== AWAITING_SLOT_STATE_NAME && run.stateName !== 'AwaitingRetry').flatMap((run) => (run.deploymentId ? [run.deploymentId] : []))),
  ]
    .filter((id) => !known.has(id))
    .slice(0, MAX_DEPLOYMENT_READS);
  const found: string[] = [];
  for (const id of toRead) if ((await deployments.limitsOf(id)).zero) found.push(id);
  remember(checked, toRead, at);
  remember((memory.zeroLimitDeployments ??= new Map()), found, at);
  return found;
}
