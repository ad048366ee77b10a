/**
 * Which flow runs have an ECS task in the cluster, running or recently stopped, read the way the
 * worker's own observer identifies them: `DescribeTasks(include=["TAGS"])` and the tag
 * `prefect.io/flow-run-id` (prefect-aws-0.7.7:src/integrations/prefect-aws/prefect_aws/observers/
 * ecs.py:143-172). The worker sets no `startedBy`, so every task of the cluster is listed.
 * ListTasks returns tasks whose desired status is RUNNING (those still PROVISIONING or PENDING
 * included) or STOPPED (kept for about an hour): https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html
 */
import { DescribeTasksCommand, ListTasksCommand, type DesiredStatus } from '@aws-sdk/client-ecs';
import { TooManyTasksError } from '../errors';
import { FLOW_RUN_ID_TAG } from '../prefectWorker';
import type { EcsSender } from '../service';

/** Above this many tasks the sweep is skipped: a run is never touched on a partial view. */
export const MAX_LISTED_TASKS = 2000;
const PAGE = 100;

async function listTaskArns(ecs: EcsSender, cluster: string, desiredStatus: DesiredStatus, seen: string[]): Promise<void> {
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListTasksCommand({ cluster, desiredStatus, maxResults: PAGE, nextToken }));
    seen.push(...(page.taskArns ?? []));
    if (seen.length > MAX_LISTED_TASKS) throw new TooManyTasksError(cluster, MAX_LISTED_TASKS);
    nextToken = page.nextToken;
  } while (nextToken);
}

/** The flow-run ids carried by the cluster's tasks. */
export async function flowRunIdsWithTasks(ecs: EcsSender, cluster: string): Promise<Set<string>> {
  const arns: string[] = [];
  await listTaskArns(ecs, cluster, 'RUNNING', arns);
  await listTaskArns(ecs, cluster, 'STOPPED', arns);
  const ids = new Set<string>();
  for (let i = 0; i < arns.length; i += PAGE) {
    const described = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + PAGE), include: ['TAGS'] }));
    for (const task of described.tasks ?? []) {
      const tag = task.tags?.find((t) => t.key === FLOW_RUN_ID_TAG);
      if (tag?.value) ids.add(tag.value);
    }
  }
  return ids;
}
