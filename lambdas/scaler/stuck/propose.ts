/**
 * One state proposal for a run the sweep judged (./classify.ts), made safe against what may have
 * happened since it read the run:
 * - the run is read again right before, and left if its state (by id) or `infrastructure_pid`
 *   changed: the server checks no expected current state, and even RUNNING -> SCHEDULED is
 *   accepted (3.6.28:src/prefect/server/orchestration/core_policy.py:66-106);
 * - the proposal is sent once (../../common/prefect/client.ts isStateProposal) with a fresh
 *   `transition_id`; when no answer comes, the run is read again, and the proposal went through
 *   if the run's current state carries that id. A blind repeat could instead move a run that a
 *   worker took in between (PreventDuplicateTransitions compares with the current state only).
 * No `force`: no core rule blocks PENDING or RUNNING -> SCHEDULED or CRASHED, or CANCELLING ->
 * CANCELLED; the name "Late" would be rejected (core_policy.py:1704-1723), "Scheduled" is not.
 */
import { randomUUID } from 'node:crypto';
import { errorMessage } from '../../common/errors';
import { expectData, type PrefectClient } from '../../common/prefect/client';
import { readRun, type ListedRun } from '../demand/listed';
import type { Verdict } from './classify';

type Act = Extract<Verdict, { kind: 'act' }>;

export type ProposalResult = { readonly moved: true } | { readonly moved: false; readonly outcome: 'changed' | 'rejected' | 'failed'; readonly detail?: string };

const WORDING: Record<Act['state'], { name: string; verb: string }> = {
  SCHEDULED: { name: 'Scheduled', verb: 'Rescheduled' },
  CRASHED: { name: 'Crashed', verb: 'Marked crashed' },
  CANCELLED: { name: 'Cancelled', verb: 'Marked cancelled' },
};

export function proposalBody(verdict: Act, transitionId: string = randomUUID()) {
  const { name, verb } = WORDING[verdict.state];
  return { state: { type: verdict.state, name, message: `${verb} by the prefect-ecs-stack scaler: ${verdict.why}`, state_details: { transition_id: transitionId } }, force: false };
}

export async function proposeOnce(prefect: PrefectClient, seen: ListedRun, verdict: Act): Promise<ProposalResult> {
  const fresh = await readRun(prefect, seen.id);
  if (fresh.stateId !== seen.stateId || fresh.pid !== seen.pid) return { moved: false, outcome: 'changed' };
  const body = proposalBody(verdict);
  const path = `/flow_runs/${seen.id}/set_state`;
  let result: { status?: unknown; details?: { reason?: unknown } } | null;
  try {
    result = await expectData(path, () => prefect.POST('/flow_runs/{id}/set_state', { params: { path: { id: seen.id } }, body })) as typeof result;
  } catch (error) {
    const after = await readRun(prefect, seen.id).catch(() => undefined);
    if (after?.transitionId === body.state.state_details.transition_id) return { moved: true };
    return { moved: false, outcome: 'failed', detail: errorMessage(error) };
  }
  if (result?.status === 'ACCEPT') return { moved: true };
  return { moved: false, outcome: 'rejected', detail: `${String(result?.status)}: ${String(result?.details?.reason ?? '')}`.trim() };
}
