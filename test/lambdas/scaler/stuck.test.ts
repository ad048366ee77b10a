import { DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { TooManyTasksError } from '../../../lambdas/scaler/errors';
import { asStuckCandidate, candidateListBody } from '../../../lambdas/scaler/stuck/candidates';
import { proposedState } from '../../../lambdas/scaler/stuck/recover';
import { flowRunIdsWithTasks } from '../../../lambdas/scaler/stuck/tasks';

const NOW = new Date('2026-11-21T12:00:00Z');
const run = (over: Record<string, unknown> = {}, state: Record<string, unknown> = {}) => ({
  id: 'r1',
  infrastructure_pid: null,
  state: { id: 's1', type: 'PENDING', name: 'Submitting', timestamp: '2026-11-21T11:45:00Z', ...state },
  ...over,
});

describe('stuck PENDING candidates', () => {
  it('lists PENDING runs whose expected start is old enough, oldest first', () => {
    expect(candidateListBody('ecs-pool', [], NOW, 600)).toEqual({
      work_pools: { name: { any_: ['ecs-pool'] } },
      flow_runs: { state: { type: { any_: ['PENDING'] } }, expected_start_time: { before_: '2026-11-21T11:50:10.000Z' } },
      sort: 'EXPECTED_START_TIME_ASC',
      limit: 50,
      offset: 0,
    });
  });

  it('takes a run PENDING longer than the setting with no infrastructure_pid', () => {
    expect(asStuckCandidate(run(), NOW, 600)).toEqual({ id: 'r1', stateId: 's1', stateName: 'Submitting', since: '2026-11-21T11:45:00.000Z' });
  });

  it.each<[string, unknown]>([
    ['a run PENDING for less than the setting', run({}, { timestamp: '2026-11-21T11:55:00Z' })],
    ['a run whose task was started (infrastructure_pid set)', run({ infrastructure_pid: 'prefect-cluster::arn:aws:ecs:us-east-1:1:task/prefect-cluster/abc' })],
    ['a run that is RUNNING', run({}, { type: 'RUNNING' })],
    ['a run without a state timestamp', run({}, { timestamp: undefined })],
    ['garbage', 'r1'],
  ])('leaves %s alone', (_name, value) => {
    expect(asStuckCandidate(value, NOW, 600)).toBeUndefined();
  });

  it('proposes SCHEDULED or CRASHED with a message naming why, and a transition id for retries', () => {
    const candidate = asStuckCandidate(run(), NOW, 600)!;
    const q = { workPool: 'ecs-pool', workQueues: [], cluster: 'prefect-cluster', now: NOW, settings: { afterSeconds: 600, action: 'reschedule' as const } };
    const reschedule = proposedState(candidate, q);
    expect(reschedule).toMatchObject({ force: false, state: { type: 'SCHEDULED', name: 'Scheduled', state_details: { transition_id: expect.stringMatching(/^[0-9a-f-]{36}$/) } } });
    expect(reschedule.state.message).toBe(
      'Rescheduled by the prefect-ecs-stack scaler: PENDING (Submitting) since 2026-11-21T11:45:00.000Z, over 600 s, with no ECS task in cluster prefect-cluster: the worker stopped before RunTask (PrefectHQ/prefect#20485)',
    );
    expect(proposedState(candidate, { ...q, settings: { afterSeconds: 600, action: 'crash' } }).state).toMatchObject({ type: 'CRASHED', name: 'Crashed' });
  });
});

describe('flow runs that have a task', () => {
  it('reads the prefect.io/flow-run-id tag of running and stopped tasks, page by page', async () => {
    const ecs = mockClient(ECSClient);
    ecs.on(ListTasksCommand, { desiredStatus: 'RUNNING' }).resolvesOnce({ taskArns: ['t1'], nextToken: 'n' }).resolvesOnce({ taskArns: ['t2'] });
    ecs.on(ListTasksCommand, { desiredStatus: 'STOPPED' }).resolves({ taskArns: ['t3'] });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        { taskArn: 't1', tags: [{ key: 'prefect.io/flow-run-id', value: 'a' }] },
        { taskArn: 't2', tags: [{ key: 'other', value: 'x' }] },
        { taskArn: 't3', tags: [{ key: 'prefect.io/flow-run-id', value: 'c' }] },
      ],
    });
    expect(await flowRunIdsWithTasks(new ECSClient({ region: 'us-east-1' }), 'prefect-cluster')).toEqual(new Set(['a', 'c']));
    expect(ecs).toHaveReceivedCommandWith(DescribeTasksCommand, { cluster: 'prefect-cluster', tasks: ['t1', 't2', 't3'], include: ['TAGS'] });
    expect(ecs).toHaveReceivedCommandWith(ListTasksCommand, { cluster: 'prefect-cluster', desiredStatus: 'RUNNING', maxResults: 100, nextToken: 'n' });
  });

  it('refuses to judge on a partial view of a very large cluster', async () => {
    const ecs = mockClient(ECSClient);
    ecs.on(ListTasksCommand).resolves({ taskArns: Array.from({ length: 100 }, (_, i) => `t${i}`), nextToken: 'more' });
    await expect(flowRunIdsWithTasks(new ECSClient({ region: 'us-east-1' }), 'big')).rejects.toThrow(TooManyTasksError);
  });
});
