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
 */
export const SUBMITTING_STATE_NAMES = ['Pending', 'Submitting'] as const;

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
 * WORKER_POOL_SLOT_OCCUPYING_STATES, 3.6.28:src/prefect/server/models/workers.py:1012-1024).
 */
export const SLOT_OCCUPYING_STATES = ['PENDING', 'RUNNING'] as const;
