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
const MODELLED_FROM: StateType[] = ['SCHEDULED', 'PENDING', 'RUNNING', 'CANCELLING', 'CRASHED'];

export interface OrchestrationOptions {
  /** A deployment's concurrency limit (null: none). @default none for every deployment */
  readonly deploymentLimit?: (deploymentId: string) => number | null | undefined;
  /** PENDING -> PENDING with a new name other than "Pending" is allowed from 3.6.22 on. @default true */
  readonly pendingSubStates?: boolean;
}

export function setState(run: StandInFlowRun, proposal: Proposal, now: Date, options: OrchestrationOptions = {}): { status: number; body: unknown } {
  const proposed = proposal.state;
  const reject = (reason: string) => ({ status: 200, body: { status: 'REJECT', details: { type: 'reject_details', reason }, state: flowRunResponse(run).state } });
  const abort = (reason: string) => ({ status: 200, body: { status: 'ABORT', details: { type: 'abort_details', reason }, state: null } });
  if (proposal.force) throw new Error('the stand-in does not model forced transitions');
  if (!MODELLED_FROM.includes(run.state_type)) throw new Error(`the stand-in does not model transitions from ${run.state_type}`);
  // PreventDuplicateTransitions (core_policy.py:1932-1974): a retried proposal returns the current state.
  if (proposed.state_details?.transition_id && proposed.state_details.transition_id === run.transition_id) {
    return reject('This run has already made this state transition.');
  }
  // HandleFlowTerminalStateTransitions (core_policy.py:1556-1623): a terminal run may be taken again, not crashed, paused or cancelled.
  if (TERMINAL.includes(run.state_type) && ['CANCELLING', 'PAUSED', 'CRASHED'].includes(proposed.type)) return abort(`Run is already in terminal state ${run.state_type}.`);
  // EnforceCancellingToCancelledTransition (core_policy.py:1836-1857).
  if (run.state_type === 'CANCELLING' && proposed.type !== 'CANCELLED') return reject('Cannot transition flows that are cancelling to a state other than Cancelled.');
  if (proposed.type === 'PENDING') {
    // PreventPendingTransitions (core_policy.py:1634-1701), with its named sub-state exception (3.6.22+).
    const subState = run.state_type === 'PENDING' && proposed.name !== run.state_name && proposed.name !== 'Pending' && (options.pendingSubStates ?? true);
    if (['PENDING', 'CANCELLING', 'RUNNING', 'CANCELLED'].includes(run.state_type) && !subState) {
      return abort(`This run is in a ${run.state_type} state and cannot transition to a PENDING state.`);
    }
    // SecureFlowConcurrencySlots (core_policy.py:541-662): a limit of 0 aborts without renaming the run.
    if (!subState && run.deployment_id && options.deploymentLimit?.(run.deployment_id) === 0) {
      return abort('The deployment concurrency limit is 0. The flow will deadlock if submitted again.');
    }
  }
  // EnsureOnlyScheduledFlowsMarkedLate (core_policy.py:1704-1723).
  if (proposed.type === 'SCHEDULED' && proposed.name === 'Late' && run.state_type !== 'SCHEDULED') return reject('Only scheduled flows can be marked late.');
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
