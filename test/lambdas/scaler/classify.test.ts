import type { ListedRun } from '../../../lambdas/scaler/demand/listed';
import { judge, look, type Facts, type StuckPendingSettings } from '../../../lambdas/scaler/stuck/classify';
import type { TaskState } from '../../../lambdas/scaler/stuck/tasks';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const ago = (seconds: number) => NOW - seconds * 1000;
const WORKER = '0123456789abcdef0123456789abcdef';
const reschedule: StuckPendingSettings = { afterSeconds: 600, action: 'reschedule' };
const crash: StuckPendingSettings = { afterSeconds: 600, action: 'crash' };
const off: StuckPendingSettings = { afterSeconds: 600, action: 'off' };

const run = (over: Partial<ListedRun> = {}): ListedRun => ({
  id: 'run-1',
  stateType: 'PENDING',
  stateName: 'Submitting',
  stateId: 'state-1',
  since: ago(120),
  workerName: `ecs-task-${WORKER}`,
  ...over,
});
const stopped: TaskState = { lastStatus: 'STOPPED', stoppedAt: ago(100), createdAt: ago(3600) };
const running: TaskState = { lastStatus: 'RUNNING', createdAt: ago(3600) };
const facts = (over: Partial<Facts> = {}): Facts => ({ tasks: new Map([[WORKER, stopped]]), flowRunTasks: new Map(), ...over });
const verdict = (r: ListedRun, f: Facts, s = reschedule) => judge(look(r, 'prefect-cluster', NOW)!, f, s, NOW);

describe('which runs the sweep looks at', () => {
  it.each<[string, Partial<ListedRun>, unknown]>([
    ['a run Submitting for a minute, naming the worker task holding it', {}, { kind: 'stranded', holderTaskId: WORKER }],
    ['a run named Pending: its label may be an earlier worker\'s, so no holder', { stateName: 'Pending' }, { kind: 'stranded', holderTaskId: undefined }],
    ['a worker this stack did not name', { workerName: 'ECSWorker 5f0c6c9e-8f0f-4b55-9a86-7c2b1d1f0a11' }, { kind: 'stranded', holderTaskId: undefined }],
    ['a run with a task of this cluster', { stateType: 'RUNNING', stateName: 'Running', pid: 'prefect-cluster::arn:aws:ecs:us-east-1:123456789012:task/prefect-cluster/abc123' }, { kind: 'task', taskId: 'abc123' }],
    ['a cancelling run with a task, whose pid names the cluster by ARN', { stateType: 'CANCELLING', pid: 'arn:aws:ecs:us-east-1:123456789012:cluster/prefect-cluster::arn:aws:ecs:us-east-1:123456789012:task/prefect-cluster/abc123' }, { kind: 'task', taskId: 'abc123' }],
  ])('%s', (_name, over, expected) => {
    expect(look(run(over), 'prefect-cluster', NOW)).toMatchObject(expected as object);
  });

  it.each<[string, Partial<ListedRun>]>([
    ['a submission younger than a submission takes (60 s)', { since: ago(30) }],
    ['InfrastructurePending: the observer saw its task', { stateName: 'InfrastructurePending' }],
    ['a task of another cluster', { pid: 'other::arn:aws:ecs:us-east-1:123456789012:task/other/abc123' }],
    ['a pid that is not an ECS task', { pid: 'process-1234' }],
    ['a scheduled run', { stateType: 'SCHEDULED', stateName: 'Scheduled' }],
  ])('not %s', (_name, over) => {
    expect(look(run(over), 'prefect-cluster', NOW)).toBeUndefined();
  });
});

describe('what the sweep does with a stranded run', () => {
  it('reschedules at once when the worker holding it has stopped and no task of it exists', () => {
    expect(verdict(run(), facts())).toMatchObject({ kind: 'act', state: 'SCHEDULED', why: expect.stringContaining(`its worker (task ${WORKER}) has stopped`), leaseFrom: ago(120) });
  });

  it('counts a worker ECS no longer knows (MISSING, stopped over an hour ago) as stopped', () => {
    expect(verdict(run(), facts({ tasks: new Map([[WORKER, { lastStatus: 'MISSING' }]]) }))).toMatchObject({ kind: 'act', state: 'SCHEDULED' });
  });

  it('asks for the flow-run task listing before it decides, and waits when a task was created since the run went PENDING', () => {
    expect(verdict(run(), facts({ flowRunTasks: undefined }))).toEqual({ kind: 'need', fact: 'flowRunTasks' });
    expect(verdict(run(), facts({ flowRunTasks: new Map([['run-1', [ago(90)]]]) }))).toEqual({ kind: 'wait', reason: 'has-task' });
  });

  it('is not fooled by a task of an earlier attempt (created before the run went PENDING)', () => {
    expect(verdict(run(), facts({ flowRunTasks: new Map([['run-1', [ago(3600)]]]) }))).toMatchObject({ kind: 'act', state: 'SCHEDULED' });
  });

  it('never reschedules while its worker lives: it waits, then leaves it (and reports it) after StuckPendingSeconds', () => {
    const alive = facts({ tasks: new Map([[WORKER, running]]) });
    expect(verdict(run(), alive)).toEqual({ kind: 'wait', reason: 'holder alive' });
    expect(verdict(run({ since: ago(900) }), alive)).toMatchObject({ kind: 'leave', reason: 'holder-alive' });
    // A worker still stopping (desired STOPPED, containers not yet) may still call RunTask.
    expect(verdict(run({ since: ago(900) }), facts({ tasks: new Map([[WORKER, { lastStatus: 'DEACTIVATING' }]]) }))).toMatchObject({ kind: 'leave', reason: 'holder-alive' });
  });

  it('crashes it after StuckPendingSeconds even while its worker lives (a CRASHED run is taken by no other worker)', () => {
    const alive = facts({ tasks: new Map([[WORKER, running]]) });
    expect(verdict(run(), alive, crash)).toEqual({ kind: 'wait', reason: 'holder alive' });
    expect(verdict(run({ since: ago(900) }), alive, crash)).toMatchObject({ kind: 'act', state: 'CRASHED', why: expect.stringContaining('hangs') });
  });

  it('with no trustworthy holder: waits StuckPendingSeconds, then reschedules only if no worker that was up when it went PENDING still runs', () => {
    const pending = run({ stateName: 'Pending', since: ago(900) });
    expect(verdict(run({ stateName: 'Pending' }), facts())).toEqual({ kind: 'wait', reason: 'holder unknown' });
    expect(verdict(pending, facts())).toEqual({ kind: 'need', fact: 'serviceWorkers' });
    const oldWorker: TaskState = { lastStatus: 'RUNNING', createdAt: ago(2000) };
    const newWorker: TaskState = { lastStatus: 'RUNNING', createdAt: ago(300) };
    expect(verdict(pending, facts({ serviceWorkers: [oldWorker, newWorker] }))).toMatchObject({ kind: 'leave', reason: 'holder-may-live' });
    expect(verdict(pending, facts({ serviceWorkers: [{ ...oldWorker, lastStatus: 'STOPPED' }, newWorker] }))).toMatchObject({ kind: 'act', state: 'SCHEDULED' });
    expect(verdict(pending, facts({ serviceWorkers: undefined }), crash)).toMatchObject({ kind: 'act', state: 'CRASHED' });
  });

  it('changes nothing with StuckPendingAction=off, and leaves (reports) the run after StuckPendingSeconds', () => {
    expect(verdict(run(), facts(), off)).toEqual({ kind: 'wait', reason: 'young' });
    expect(verdict(run({ since: ago(900) }), facts(), off)).toMatchObject({ kind: 'leave', reason: 'off' });
  });
});

describe('what the sweep does with a run whose task is gone', () => {
  const withTask = (over: Partial<ListedRun>) => run({ pid: 'prefect-cluster::arn:aws:ecs:us-east-1:123456789012:task/prefect-cluster/t1', ...over });
  const taskFacts = (state: TaskState) => facts({ tasks: new Map([['t1', state]]) });

  it('leaves a run whose task lives', () => {
    expect(verdict(withTask({ stateType: 'RUNNING' }), taskFacts(running))).toEqual({ kind: 'fine' });
  });

  it('gives the observer two minutes after the task stopped', () => {
    expect(verdict(withTask({ stateType: 'RUNNING' }), taskFacts({ lastStatus: 'STOPPED', stoppedAt: ago(30) }))).toEqual({ kind: 'wait', reason: 'observer' });
  });

  it.each<[string, string, string]>([
    ['PENDING', 'CRASHED', 'the observer missed it (or proposed nothing for a task without containers)'],
    ['RUNNING', 'CRASHED', 'its container stopped without reporting'],
    ['CANCELLING', 'CANCELLED', 'the observer\'s Crashed is rejected for a CANCELLING run'],
  ])('proposes what frees a %s run: %s (%s)', (stateType, state) => {
    const v = verdict(withTask({ stateType, stateName: 'x' }), taskFacts({ lastStatus: 'STOPPED', stoppedAt: ago(200), stoppedReason: 'Essential container in task exited' }));
    expect(v).toMatchObject({ kind: 'act', state, why: expect.stringContaining('Essential container in task exited') });
  });

  it('dates the lease of a running flow from when its task stopped, and of a PENDING one from the Pending proposal', () => {
    const gone: TaskState = { lastStatus: 'STOPPED', stoppedAt: ago(200) };
    expect(verdict(withTask({ stateType: 'RUNNING', since: ago(9000) }), taskFacts(gone))).toMatchObject({ leaseFrom: ago(200) });
    expect(verdict(withTask({ stateType: 'PENDING', since: ago(400) }), taskFacts(gone))).toMatchObject({ leaseFrom: ago(400) });
    expect(verdict(withTask({ stateType: 'RUNNING' }), taskFacts({ lastStatus: 'MISSING' }))).toMatchObject({ kind: 'act', leaseFrom: undefined });
  });
});
