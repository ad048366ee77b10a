/**
 * What ECS says about the tasks the sweep needs, read the way the worker's own observer reads them
 * (`DescribeTasks(include=["TAGS"])`: prefect-aws-0.7.7:src/integrations/prefect-aws/prefect_aws/
 * observers/ecs.py:143-172):
 * - tasks by id or ARN: a run's task (from its `infrastructure_pid`) or a worker's task (from its
 *   name): alive, or stopped (when, and why), or MISSING (ECS forgets a stopped task after about
 *   an hour: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html);
 * - the worker service's tasks (group "service:<name>");
 * - the flow-run tasks of the cluster whose desired status is RUNNING (those still PROVISIONING or
 *   PENDING included), by the tag `prefect.io/flow-run-id` and when each was created. Only
 *   RUNNING: a task of the run's current attempt that has already stopped ran no flow code (the
 *   engine proposes RUNNING before it runs any: 3.6.28:src/prefect/flow_engine.py:605-610, and the
 *   run is still PENDING), so it cannot make a second execution; and a stopped task of an earlier
 *   attempt must not hide a new stuck one.
 * Every call is bounded: at most MAX_LISTED_TASKS tasks, and the invocation's deadline.
 */
import { DescribeTasksCommand, ListTasksCommand, type DesiredStatus, type Task } from '@aws-sdk/client-ecs';
import { TooManyTasksError } from '../errors';
import { FLOW_RUN_ID_TAG } from '../prefectWorker';
import type { EcsSender } from '../service';

/** Above this many tasks the flow-run task listing gives up: a run is never touched on a partial view. */
export const MAX_LISTED_TASKS = 2000;
const PAGE = 100;

export interface TaskState {
  /** ECS's lastStatus; "MISSING" when ECS does not know the task. */
  readonly lastStatus: string;
  readonly stoppedAt?: number;
  readonly createdAt?: number;
  readonly stoppedReason?: string;
  readonly group?: string;
}

/** A process in the task may still act: ECS has not seen its containers stop. */
export const isAlive = (state: TaskState) => state.lastStatus !== 'STOPPED' && state.lastStatus !== 'MISSING';

type Signal = { abortSignal?: AbortSignal };

const stateOf = (task: Task): TaskState => ({
  lastStatus: task.lastStatus ?? 'UNKNOWN',
  stoppedAt: task.stoppedAt?.getTime(),
  createdAt: task.createdAt?.getTime(),
  stoppedReason: task.stoppedReason,
  group: task.group,
});

/** The last path segment of a task ARN (its id); DescribeTasks takes either form. */
export const taskIdOf = (arnOrId: string) => arnOrId.slice(arnOrId.lastIndexOf('/') + 1);

/** Tasks by id or ARN, keyed by task id. */
export async function describeTasks(ecs: EcsSender, cluster: string, ids: readonly string[], options: Signal = {}): Promise<Map<string, TaskState>> {
  const states = new Map<string, TaskState>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += PAGE) {
    const page = unique.slice(i, i + PAGE);
    const answer = await ecs.send(new DescribeTasksCommand({ cluster, tasks: page }), options);
    for (const task of answer.tasks ?? []) if (task.taskArn) states.set(taskIdOf(task.taskArn), stateOf(task));
    for (const id of page) if (!states.has(taskIdOf(id))) states.set(taskIdOf(id), { lastStatus: 'MISSING' });
  }
  return states;
}

async function listTaskArns(ecs: EcsSender, input: { cluster: string; desiredStatus: DesiredStatus; serviceName?: string }, options: Signal): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListTasksCommand({ ...input, maxResults: PAGE, nextToken }), options);
    arns.push(...(page.taskArns ?? []));
    if (arns.length > MAX_LISTED_TASKS) throw new TooManyTasksError(input.cluster, MAX_LISTED_TASKS);
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

async function describeWithTags(ecs: EcsSender, cluster: string, arns: readonly string[], options: Signal): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += PAGE) {
    const answer = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + PAGE), include: ['TAGS'] }), options);
    tasks.push(...(answer.tasks ?? []));
  }
  return tasks;
}

/** The worker service's tasks, running or stopped (ECS keeps stopped ones about an hour). */
export async function serviceTasks(ecs: EcsSender, cluster: string, service: string, options: Signal = {}): Promise<TaskState[]> {
  const arns = [
    ...(await listTaskArns(ecs, { cluster, serviceName: service, desiredStatus: 'RUNNING' }, options)),
    ...(await listTaskArns(ecs, { cluster, serviceName: service, desiredStatus: 'STOPPED' }, options)),
  ];
  // The group check also keeps out other tasks, should a listing not filter by service.
  return (await describeWithTags(ecs, cluster, arns, options)).filter((task) => task.group === `service:${service}`).map(stateOf);
}

/** When the cluster's flow-run tasks of desired status RUNNING were created, by flow-run id. */
export async function flowRunTasks(ecs: EcsSender, cluster: string, options: Signal = {}): Promise<Map<string, number[]>> {
  const byRun = new Map<string, number[]>();
  for (const task of await describeWithTags(ecs, cluster, await listTaskArns(ecs, { cluster, desiredStatus: 'RUNNING' }, options), options)) {
    const runId = task.tags?.find((t) => t.key === FLOW_RUN_ID_TAG)?.value;
    if (runId) byRun.set(runId, [...(byRun.get(runId) ?? []), task.createdAt?.getTime() ?? Number.POSITIVE_INFINITY]);
  }
  return byRun;
}
