/**
 * Reads the work pool's demand from Prefect with `POST /flow_runs/count` only: never the
 * worker-only polling endpoints, which would mark the pool as polled and ready with no worker
 * running. The filter bodies are built by pure functions so tests can check their exact shape
 * (the server silently ignores unknown top-level keys and would count every run).
 */
import { PrefectResponseError } from '../common/errors';
import { expectData, type PrefectClient } from '../common/prefect/client';
import type { components } from '../common/prefect/schema';
import type { Demand } from './policy';

export type CountBody = components['schemas']['Body_count_flow_runs_flow_runs_count_post'];
type StateType = components['schemas']['StateType'];

export interface DemandQuery {
  readonly workPool: string;
  /** Limit to these queues of the pool; empty means every queue. */
  readonly workQueues: readonly string[];
  readonly now: Date;
  readonly lookaheadSeconds: number;
  readonly idleGraceSeconds: number;
}

const TERMINAL: StateType[] = ['COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED'];

function scope(query: DemandQuery): Pick<CountBody, 'work_pools' | 'work_pool_queues'> {
  return {
    work_pools: { name: { any_: [query.workPool] } },
    ...(query.workQueues.length > 0 ? { work_pool_queues: { name: { any_: [...query.workQueues] } } } : {}),
  };
}

const iso = (date: Date, offsetSeconds: number) => new Date(date.getTime() + offsetSeconds * 1000).toISOString();

/** One count request per kind of demand, keyed by the Demand field it fills. */
export function demandCountBodies(query: DemandQuery): Record<'dueSoon' | 'pending' | 'running' | 'cancelling' | 'recentlyEnded', CountBody> {
  const byState = (types: StateType[], extra: object = {}): CountBody => ({
    ...scope(query),
    flow_runs: { state: { type: { any_: types } }, ...extra },
  });
  return {
    // Late and AwaitingRetry are state names of type SCHEDULED; no lower bound keeps Late runs in.
    dueSoon: byState(['SCHEDULED'], { next_scheduled_start_time: { before_: iso(query.now, query.lookaheadSeconds) } }),
    pending: byState(['PENDING']),
    running: byState(['RUNNING']),
    cancelling: byState(['CANCELLING']),
    recentlyEnded: byState(TERMINAL, { end_time: { after_: iso(query.now, -query.idleGraceSeconds) } }),
  };
}

async function count(prefect: PrefectClient, body: CountBody): Promise<number> {
  const value = await expectData<unknown>('/flow_runs/count', () => prefect.POST('/flow_runs/count', { body }));
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new PrefectResponseError('/flow_runs/count', `expected a non-negative integer, got ${JSON.stringify(value)?.slice(0, 80)}`);
  }
  return value;
}

export async function readDemand(prefect: PrefectClient, query: DemandQuery): Promise<Demand> {
  const bodies = demandCountBodies(query);
  const [dueSoon, pending, running, cancelling, recentlyEnded] = await Promise.all([
    count(prefect, bodies.dueSoon),
    count(prefect, bodies.pending),
    count(prefect, bodies.running),
    count(prefect, bodies.cancelling),
    count(prefect, bodies.recentlyEnded),
  ]);
  return { dueSoon, pending, running, cancelling, endedWithinGrace: recentlyEnded > 0 };
}
