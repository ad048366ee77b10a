/**
 * What the Prefect ECS worker this stack runs (prefect-aws 0.7.7 on Prefect 3.6.28) does, as the
 * scaler and its simulator rely on it. Each fact is cited as tag:path:lines in PrefectHQ/prefect;
 * see also README "How the scaler works".
 *
 * - `run()` returns as soon as RunTask has returned ("The observer will handle crash
 *   detection"): prefect-aws-0.7.7:src/integrations/prefect-aws/prefect_aws/workers/ecs_worker.py:727-771
 *   (since prefect-aws 0.6.0, PR #18804). The base worker releases the `--limit` slot in a
 *   `finally` when `run()` returns: 3.6.28:src/prefect/workers/base.py:1519-1522. So `--limit`
 *   bounds concurrent submissions; a RUNNING flow run holds no slot.
 * - A worker takes runs only when it polls, at most its free slots, and stops at the first slot
 *   it cannot get (`acquire_on_behalf_of_nowait` ... `except anyio.WouldBlock: break`):
 *   3.6.28:src/prefect/workers/base.py:1373-1387. The poll runs first, then sleeps:
 *   3.6.28:src/prefect/utilities/services.py:64 and :156.
 * - While runs are PENDING or RUNNING the worker's ECS observer (SQS queue of task events) marks
 *   crashed runs and proposes InfrastructurePending: one worker is enough, the queue is shared
 *   (prefect-aws-0.7.7:src/integrations/prefect-aws/prefect_aws/observers/ecs.py:239-255).
 * - A CANCELLING run needs no worker: a running flow is cancelled inside its own container
 *   (3.6.28:src/prefect/runner/_flow_run_executor.py:230-306; workers stopped cancelling in 3.0,
 *   PR #14611), worker-side cancellation of runs still being submitted is off by default
 *   (3.6.28:src/prefect/settings/models/worker.py:52-59), and the observer cannot end a
 *   CANCELLING run whose task stopped: its Crashed proposal is rejected
 *   (EnforceCancellingToCancelledTransition, 3.6.28:src/prefect/server/orchestration/core_policy.py:1836-1857).
 * - A run in an in-process retry (`Scheduled/AwaitingRetry` with `empirical_policy.retry_type ==
 *   "in_process"`, set by RetryFailedFlows: core_policy.py:1094-1110) is retried inside its own
 *   container: the worker's query never returns it (get-runs-from-worker-queues.sql.jinja:67-68)
 *   and the observer skips SCHEDULED runs (prefect-aws-0.7.7:.../observers/ecs.py:723-732), so no
 *   worker does anything for it.
 */

/** `PREFECT_WORKER_QUERY_SECONDS`: seconds between polls (3.6.28:src/prefect/settings/models/worker.py:42-45; jittered +-30%, base.py:753). */
export const WORKER_QUERY_SECONDS = 10;

/** `PREFECT_WORKER_PREFETCH_SECONDS`: a poll returns runs due this far ahead (3.6.28:src/prefect/settings/models/worker.py:47-50; base.py:1341-1353). */
export const WORKER_PREFETCH_SECONDS = 10;

/**
 * Seconds one submission holds a `--limit` slot: the Pending and Submitting proposals, the
 * deployment and flow reads, the labels PATCH, (Register|Describe)TaskDefinition and RunTask
 * (3.6.28:src/prefect/workers/base.py:1430-1522, ecs_worker.py:781-875). Prefect publishes no
 * figure; about 6 API round trips and 1-4 AWS calls make 1-3 s typical, 5 s is conservative.
 */
export const SUBMIT_SECONDS = 5;

/**
 * Seconds between the moments one slot can take a new run: a slot freed mid-interval waits for
 * the next poll (base.py:1373-1387), so a cycle is a whole number of poll intervals.
 */
export const slotCycleSeconds = (submitSeconds: number, querySeconds = WORKER_QUERY_SECONDS): number =>
  Math.max(1, Math.ceil(submitSeconds / querySeconds)) * querySeconds;

/**
 * The tag the worker puts on every flow-run task, from the job's labels
 * (3.6.28:src/prefect/workers/base.py:353-357, "prefect.io/flow-run-id": str(flow_run.id);
 * turned into RunTask tags at prefect-aws-0.7.7:.../ecs_worker.py:1508-1558).
 */
export const FLOW_RUN_ID_TAG = 'prefect.io/flow-run-id';

/**
 * PENDING state names of a run a worker is still submitting: "Pending" (base.py:1637-1666) and
 * "Submitting" (base.py:1686-1700, since 3.6.22). After RunTask the ECS observer proposes
 * "InfrastructurePending" (prefect-aws-0.7.7:.../observers/ecs.py:665-687): submitted, not a backlog.
 * Servers 3.1.6-3.6.21 abort every PENDING -> PENDING proposal (the exception for named sub-states
 * in PreventPendingTransitions first appears in 3.6.22: 3.6.28:src/prefect/server/orchestration/
 * core_policy.py:1675-1694), so there a submitted run stays "Pending" until it runs.
 */
export const SUBMITTING_STATE_NAMES = ['Pending', 'Submitting'] as const;
export const SUBMITTING_STATE_NAME = 'Submitting';

/**
 * Seconds after which a run still PENDING without an `infrastructure_pid` is no longer being
 * submitted: a submission takes a few seconds (SUBMIT_SECONDS), RunTask retries add at most
 * ~20 s (prefect-aws-0.7.7:.../workers/ecs_worker.py:855-868, 1579-1594; aws/settings.py:64-100),
 * and the pid is PATCHed right after RunTask (3.6.28:src/prefect/workers/base.py:1455-1470). Such
 * a run is stranded or hung: it is not a submission backlog, and the stuck-run sweep looks at it.
 */
export const SUBMISSION_DONE_SECONDS = 60;

/**
 * Labels a worker writes on a run it submits, right before it proposes "Submitting"
 * (`_give_worker_labels_to_flow_run`, then `_propose_submitting_state`, in that order:
 * 3.6.28:src/prefect/workers/base.py:1494-1498, :1897-1915). So while a run is PENDING named
 * "Submitting", its `prefect.worker.name` names the worker submitting it. While it is named
 * "Pending" the label may still be an earlier worker's (a run taken again keeps the old labels
 * until the new worker writes its own), so it says nothing then.
 */
export const WORKER_NAME_LABEL = 'prefect.worker.name';

/**
 * The stack starts each worker with `--name ecs-task-<its ECS task id>` (templates/worker/ecs.ts;
 * the default name is "<class> <uuid4>", 3.6.28:src/prefect/workers/base.py:586), so a run's
 * worker label leads to the worker's ECS task, and ECS says whether that process still lives.
 */
export const ECS_WORKER_NAME_PREFIX = 'ecs-task-';

/** The ECS task id of a worker this stack started, from its name; undefined for any other worker. */
export function workerTaskId(workerName: unknown): string | undefined {
  if (typeof workerName !== 'string' || !workerName.startsWith(ECS_WORKER_NAME_PREFIX)) return undefined;
  const id = workerName.slice(ECS_WORKER_NAME_PREFIX.length);
  return /^[0-9a-f-]{32,36}$/.test(id) ? id : undefined;
}

/**
 * A SCHEDULED run a deployment concurrency limit bounced: the server rejects the worker's
 * PENDING proposal to `Scheduled/AwaitingConcurrencySlot` 30 s later
 * (3.6.28:src/prefect/server/orchestration/core_policy.py:643-652; deployments.py:14-20). More
 * workers do not submit it sooner, but one must be up to retry it.
 */
export const AWAITING_SLOT_STATE_NAME = 'AwaitingConcurrencySlot';

/**
 * States that use a pool's or queue's concurrency_limit on the worker's scheduling query
 * (3.6.28:src/prefect/server/database/sql/postgres/get-runs-from-worker-queues.sql.jinja:1-33;
 * WORK_POOL_SLOT_OCCUPYING_STATES, 3.6.28:src/prefect/server/models/workers.py:1012-1024).
 */
export const SLOT_OCCUPYING_STATES = ['PENDING', 'RUNNING'] as const;
