/**
 * Recovers flow runs stuck in PENDING (./candidates.ts): a candidate with no task of the cluster
 * carrying its flow-run id (./tasks.ts) is re-read right before the proposal and proposed back to
 * SCHEDULED (or CRASHED) with a message naming why. A run whose task exists is never touched.
 *
 * Both proposals are accepted without `force`: no core rule blocks PENDING -> SCHEDULED or
 * PENDING -> CRASHED, and leaving PENDING frees the deployment concurrency slot
 * (3.6.28:src/prefect/server/orchestration/core_policy.py:66-106, ReleaseFlowConcurrencySlots
 * :857-932). The server checks no expected current state, and RUNNING -> SCHEDULED is accepted
 * too, so the re-read must still see the same PENDING state (same state id) with no
 * infrastructure_pid. A `transition_id` makes a retried POST a no-op (PreventDuplicateTransitions,
 * core_policy.py:1932-1974). The name "Late" would be rejected (core_policy.py:1704-1723).
 */
import { randomUUID } from 'node:crypto';
import { errorMessage } from '../../common/errors';
import { expectData, type PrefectClient } from '../../common/prefect/client';
import type { EcsSender } from '../service';
import { asStuckCandidate, findStuckCandidates, type StuckCandidate } from './candidates';
import { flowRunIdsWithTasks } from './tasks';

export type StuckAction = 'reschedule' | 'crash' | 'off';

export interface StuckPendingSettings {
  /** A PENDING run without a task this long is stuck. @default 600 */
  readonly afterSeconds: number;
  /** What a stuck run is proposed: SCHEDULED (taken again), CRASHED, or nothing. @default "reschedule" */
  readonly action: StuckAction;
}

export interface RecoveryQuery {
  readonly workPool: string;
  readonly workQueues: readonly string[];
  readonly cluster: string;
  readonly now: Date;
  readonly settings: StuckPendingSettings;
}

export interface RecoveryOutcome {
  readonly id: string;
  readonly outcome: 'recovered' | 'has-task' | 'changed' | 'rejected' | 'failed';
  readonly detail?: string;
}

export function proposedState(candidate: StuckCandidate, q: RecoveryQuery) {
  const why =
    `PENDING (${candidate.stateName}) since ${candidate.since}, over ${q.settings.afterSeconds} s, with no ECS task in cluster ${q.cluster}: ` +
    'the worker stopped before RunTask (PrefectHQ/prefect#20485)';
  const state =
    q.settings.action === 'reschedule'
      ? { type: 'SCHEDULED' as const, name: 'Scheduled', message: `Rescheduled by the prefect-ecs-stack scaler: ${why}` }
      : { type: 'CRASHED' as const, name: 'Crashed', message: `Marked crashed by the prefect-ecs-stack scaler: ${why}` };
  return { state: { ...state, state_details: { transition_id: randomUUID() } }, force: false };
}

async function recoverOne(prefect: PrefectClient, candidate: StuckCandidate, q: RecoveryQuery): Promise<RecoveryOutcome> {
  const path = `/flow_runs/${candidate.id}`;
  const params = { path: { id: candidate.id } };
  const fresh = asStuckCandidate(await expectData<unknown>(path, () => prefect.GET('/flow_runs/{id}', { params })), q.now, q.settings.afterSeconds);
  if (!fresh || fresh.stateId !== candidate.stateId) return { id: candidate.id, outcome: 'changed' };
  const proposal = proposedState(fresh, q);
  const result = (await expectData<unknown>(`${path}/set_state`, () => prefect.POST('/flow_runs/{id}/set_state', { params, body: proposal }))) as {
    status?: unknown;
    details?: { reason?: unknown };
    state?: { state_details?: { transition_id?: unknown } };
  } | null;
  // A retried POST whose first attempt went through is rejected with the state it made.
  const ours = result?.state?.state_details?.transition_id === proposal.state.state_details.transition_id;
  if (result?.status === 'ACCEPT' || ours) return { id: candidate.id, outcome: 'recovered' };
  return { id: candidate.id, outcome: 'rejected', detail: `${String(result?.status)}: ${String(result?.details?.reason ?? '')}`.trim() };
}

/** One sweep. Errors of one run are reported for it; errors of the listing are thrown. */
export async function recoverStuckRuns(prefect: PrefectClient, ecs: EcsSender, q: RecoveryQuery): Promise<RecoveryOutcome[]> {
  if (q.settings.action === 'off') return [];
  const candidates = await findStuckCandidates(prefect, { ...q, stuckAfterSeconds: q.settings.afterSeconds });
  if (candidates.length === 0) return [];
  const withTasks = await flowRunIdsWithTasks(ecs, q.cluster);
  const outcomes: RecoveryOutcome[] = [];
  for (const candidate of candidates) {
    if (withTasks.has(candidate.id)) {
      outcomes.push({ id: candidate.id, outcome: 'has-task' });
      continue;
    }
    try {
      outcomes.push(await recoverOne(prefect, candidate, q));
    } catch (error) {
      outcomes.push({ id: candidate.id, outcome: 'failed', detail: errorMessage(error) });
    }
  }
  return outcomes;
}
