/**
 * `POST /flow_runs/{id}/set_state` on the stand-in, with the orchestration rules of Prefect
 * 3.6.28 (CoreFlowPolicy, 3.6.28:src/prefect/server/orchestration/core_policy.py:66-106) that
 * apply to the transitions the Lambdas propose. From-states and rules it does not model are test
 * errors, so a test cannot pass on behaviour the real server would not show.
 */
import { randomUUID } from 'node:crypto';
import { defaultName, flowRunResponse, type StandInFlowRun, type StateType } from './prefectFlowRuns';

export interface Proposal {
  readonly state: { type: StateType; name?: string; message?: string; state_details?: { transition_id?: string; scheduled_time?: string } };
  readonly force?: boolean;
}

const TERMINAL: StateType[] = ['COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED'];
const MODELLED_FROM: StateType[] = ['SCHEDULED', 'PENDING', 'RUNNING', 'CANCELLING'];

export function setState(run: StandInFlowRun, proposal: Proposal, now: Date): { status: number; body: unknown } {
  const proposed = proposal.state;
  const reject = (reason: string) => ({ status: 200, body: { status: 'REJECT', details: { type: 'reject_details', reason }, state: flowRunResponse(run).state } });
  if (proposal.force) throw new Error('the stand-in does not model forced transitions');
  if (!MODELLED_FROM.includes(run.state_type)) throw new Error(`the stand-in does not model transitions from ${run.state_type}`);
  // PreventDuplicateTransitions (core_policy.py:1932-1974): a retried proposal returns the current state.
  if (proposed.state_details?.transition_id && proposed.state_details.transition_id === run.transition_id) {
    return reject('This run has already made this state transition.');
  }
  // EnsureOnlyScheduledFlowsMarkedLate (core_policy.py:1704-1723).
  if (proposed.type === 'SCHEDULED' && proposed.name === 'Late' && run.state_type !== 'SCHEDULED') return reject('Only scheduled flows can be marked late.');
  // EnforceCancellingToCancelledTransition (core_policy.py:1836-1857).
  if (run.state_type === 'CANCELLING' && proposed.type !== 'CANCELLED') return reject('Cannot transition flows that are cancelling to a state other than Cancelled.');
  // Nothing else blocks PENDING or RUNNING -> SCHEDULED or -> CRASHED: no rule checks an expected current state.
  Object.assign(run, {
    state_type: proposed.type,
    state_name: proposed.name ?? defaultName(proposed.type),
    state_id: randomUUID(),
    state_timestamp: now.toISOString(),
    state_message: proposed.message,
    transition_id: proposed.state_details?.transition_id,
    infrastructure_pid: run.infrastructure_pid,
  });
  // SetNextScheduledStartTime (global_policy.py:358-385); scheduled_time defaults to now (schemas/states.py:176-184).
  if (proposed.type === 'SCHEDULED') run.next_scheduled_start_time = proposed.state_details?.scheduled_time ?? now.toISOString();
  if (TERMINAL.includes(proposed.type)) run.end_time = now.toISOString();
  return { status: 201, body: { status: 'ACCEPT', details: { type: 'accept_details' }, state: flowRunResponse(run).state } };
}
