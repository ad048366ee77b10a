/**
 * The Prefect facts the scaler and its stand-in rest on, checked against Prefect's own source:
 * each cited line range (tag:path:lines, as the scaler's comments cite it) must still say what the
 * scaler relies on, and the comment must still cite it. Reads the git mirror of PrefectHQ/prefect;
 * without it the checks are skipped (named below), since the source is not vendored here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PREFECT_MIRROR, sourceAt } from '../support/prefectMirror';

const ROOT = path.resolve(__dirname, '../..');
const AWS = 'src/integrations/prefect-aws/prefect_aws';

interface Fact {
  /** What the scaler relies on. */
  readonly fact: string;
  readonly tag: string;
  readonly file: string;
  readonly lines: readonly [number, number];
  /** Text that must appear within those lines. */
  readonly says: readonly string[];
  /** The scaler module that cites it, and the citation as written there. */
  readonly citedIn: string;
  readonly citation: string;
}

const FACTS: readonly Fact[] = [
  {
    fact: 'the worker writes its name label, then proposes Submitting',
    tag: '3.6.28',
    file: 'src/prefect/workers/base.py',
    lines: [1494, 1498],
    says: ['_give_worker_labels_to_flow_run(flow_run.id)', '_propose_submitting_state(flow_run)'],
    citedIn: 'lambdas/scaler/prefectWorker.ts',
    citation: 'base.py:1494-1498',
  },
  {
    fact: 'the label is prefect.worker.name = the worker name',
    tag: '3.6.28',
    file: 'src/prefect/workers/base.py',
    lines: [1897, 1915],
    says: ['"prefect.worker.name": self.name'],
    citedIn: 'lambdas/scaler/prefectWorker.ts',
    citation: ':1897-1915',
  },
  {
    fact: 'an Abort of the Submitting proposal is ignored',
    tag: '3.6.28',
    file: 'src/prefect/workers/base.py',
    lines: [1686, 1700],
    says: ['Submitting()', 'except Abort:', 'pass'],
    citedIn: 'lambdas/scaler/stuck/classify.ts',
    citation: 'base.py:1686-1700',
  },
  {
    fact: 'the default worker name is "<class> <uuid4>"',
    tag: '3.6.28',
    file: 'src/prefect/workers/base.py',
    lines: [586, 586],
    says: ['name or f"{self.__class__.__name__} {uuid4()}"'],
    citedIn: 'lambdas/scaler/prefectWorker.ts',
    citation: 'base.py:586',
  },
  {
    fact: 'a deployment limit of 0 aborts the PENDING proposal',
    tag: '3.6.28',
    file: 'src/prefect/server/orchestration/core_policy.py',
    lines: [592, 596],
    says: ['global_concurrency_limit.limit == 0', 'abort_transition'],
    citedIn: 'lambdas/scaler/demand/leftOut.ts',
    citation: 'core_policy.py:592-596',
  },
  {
    fact: 'a retry in process is marked retry_type "in_process" and rescheduled AwaitingRetry',
    tag: '3.6.28',
    file: 'src/prefect/server/orchestration/core_policy.py',
    lines: [1094, 1110],
    says: ['updated_policy["retry_type"] = "in_process"', 'states.AwaitingRetry('],
    citedIn: 'lambdas/scaler/prefectWorker.ts',
    citation: 'core_policy.py:1094-1110',
  },
  {
    fact: "the worker's query (Postgres) never returns an in-process retry",
    tag: '3.6.28',
    file: 'src/prefect/server/database/sql/postgres/get-runs-from-worker-queues.sql.jinja',
    lines: [67, 68],
    says: ["fr.state_type = 'SCHEDULED'", "!= 'in_process'"],
    citedIn: 'lambdas/scaler/demand/leftOut.ts',
    citation: 'get-runs-from-worker-queues.sql.jinja:67-68',
  },
  {
    fact: 'a PENDING -> PENDING sub-state other than "Pending" is allowed',
    tag: '3.6.28',
    file: 'src/prefect/server/orchestration/core_policy.py',
    lines: [1675, 1694],
    says: ['initial_state.name != proposed_state.name', 'proposed_state.name != "Pending"'],
    citedIn: 'lambdas/scaler/prefectWorker.ts',
    citation: 'core_policy.py:1675-1694',
  },
  {
    fact: 'a CANCELLING run may only become CANCELLED',
    tag: '3.6.28',
    file: 'src/prefect/server/orchestration/core_policy.py',
    lines: [1836, 1857],
    says: ['class EnforceCancellingToCancelledTransition', 'FROM_STATES = {StateType.CANCELLING}', 'ALL_ORCHESTRATION_STATES - {StateType.CANCELLED}'],
    citedIn: 'lambdas/scaler/prefectWorker.ts',
    citation: 'core_policy.py:1836-1857',
  },
  {
    fact: 'a terminal run may not go to CANCELLING, PAUSED or CRASHED (so CRASHED -> PENDING is not refused here)',
    tag: '3.6.28',
    file: 'src/prefect/server/orchestration/core_policy.py',
    lines: [1556, 1568],
    says: ['class HandleFlowTerminalStateTransitions', 'The flow is going to CANCELLING / PAUSED / CRASHED', 'FROM_STATES: set[states.StateType | None] = TERMINAL_STATES'],
    citedIn: 'lambdas/scaler/stuck/classify.ts',
    citation: 'core_policy.py:1556-1623',
  },
  {
    fact: 'pool and queue limits count PENDING and RUNNING runs',
    tag: '3.6.28',
    file: 'src/prefect/server/models/workers.py',
    lines: [1012, 1018],
    says: ['WORK_POOL_SLOT_OCCUPYING_STATES = [', 'StateType.PENDING', 'StateType.RUNNING'],
    citedIn: 'lambdas/scaler/prefectWorker.ts',
    citation: 'WORK_POOL_SLOT_OCCUPYING_STATES, 3.6.28:src/prefect/server/models/workers.py:1012-1024',
  },
  {
    fact: 'a list answer holds 200 runs by default',
    tag: '3.6.28',
    file: 'src/prefect/settings/models/server/api.py',
    lines: [40, 48],
    says: ['default_limit: int = Field(', 'default=200'],
    citedIn: 'lambdas/scaler/demand/leftOut.ts',
    citation: 'api.py:40-48',
  },
  {
    fact: 'a deployment lease lasts 300 s by default',
    tag: '3.6.28',
    file: 'src/prefect/settings/models/server/concurrency.py',
    lines: [19, 24],
    says: ['initial_deployment_lease_duration', 'default=300.0'],
    citedIn: 'lambdas/scaler/stuck/deployments.ts',
    citation: 'concurrency.py:19-24',
  },
  {
    fact: 'the flow-run id filter has not_any_ from 3.0.0',
    tag: '3.0.0',
    file: 'src/prefect/server/schemas/filters.py',
    lines: [199, 216],
    says: ['class FlowRunFilterId', 'not_any_'],
    citedIn: 'lambdas/scaler/demand/bodies.ts',
    citation: 'filters.py:199-216',
  },
  {
    fact: 'the engine proposes RUNNING before it runs flow code',
    tag: '3.6.28',
    file: 'src/prefect/flow_engine.py',
    lines: [605, 610],
    says: ['new_state = Running()', 'while state.is_pending()'],
    citedIn: 'lambdas/scaler/stuck/tasks.ts',
    citation: 'flow_engine.py:605-610',
  },
  {
    fact: 'the ECS observer skips SCHEDULED runs',
    tag: 'prefect-aws-0.7.7',
    file: `${AWS}/observers/ecs.py`,
    lines: [723, 732],
    says: ['flow_run.state.is_scheduled()', 'return'],
    citedIn: 'lambdas/scaler/demand/leftOut.ts',
    citation: 'observers/ecs.py:723-732',
  },
  {
    fact: 'infrastructure_pid is "<cluster>::<task ARN>"',
    tag: 'prefect-aws-0.7.7',
    file: `${AWS}/workers/ecs_worker.py`,
    lines: [753, 761],
    says: ['+ "::"', '+ task_arn'],
    citedIn: 'lambdas/scaler/demand/listed.ts',
    citation: 'ecs_worker.py:753-761',
  },
];

const shown = new Map<string, string | undefined>();
function source(tag: string, file: string): string | undefined {
  const key = `${tag}:${file}`;
  if (!shown.has(key)) {
    shown.set(key, sourceAt(tag, file));
  }
  return shown.get(key);
}

const haveMirror = source('3.6.28', 'src/prefect/workers/base.py') !== undefined;
const describeWithMirror = haveMirror ? describe : describe.skip;

describeWithMirror(`the scaler's Prefect facts, in Prefect's source (skipped without the mirror at ${PREFECT_MIRROR})`, () => {
  it.each(FACTS.map((f) => [f.fact, f] as const))('%s', (_, f) => {
    const text = source(f.tag, f.file);
    expect(text).toBeDefined();
    const cited = text!.split('\n').slice(f.lines[0] - 1, f.lines[1]).join('\n');
    for (const phrase of f.says) expect(cited).toContain(phrase);
    expect(fs.readFileSync(path.join(ROOT, f.citedIn), 'utf8').replace(/\n \* /g, ' ')).toContain(f.citation);
  });

  it('the Submitting sub-state is refused by servers before 3.6.22 (runs there stay "Pending")', () => {
    const exception = 'proposed_state.name != "Pending"';
    for (const tag of ['3.6.20', '3.6.21']) expect(source(tag, 'src/prefect/server/orchestration/core_policy.py')).not.toContain(exception);
    expect(source('3.6.22', 'src/prefect/server/orchestration/core_policy.py')).toContain(exception);
  });
});
