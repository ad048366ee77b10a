import { PrefectApiError } from '../../../lambdas/common/errors';
import { peakWithinWindow } from '../../../lambdas/scaler/demand/ahead';
import { aheadListBody, countBody, demandFilters } from '../../../lambdas/scaler/demand/bodies';
import { queueScope, type PoolState } from '../../../lambdas/scaler/demand/pool';
import { rejectsFilterKey } from '../../../lambdas/scaler/demand/unsupportedFilter';
import { extraKeysRejected } from '../../support/prefectFlowRuns';

const NOW = new Date('2026-11-21T12:00:00Z');

describe('demand filter bodies', () => {
  it('counts due runs of the given queues, Late ones included (no lower bound)', () => {
    expect(countBody('ecs-pool', ['default'], demandFilters.dueWithin(NOW, 120))).toEqual({
      work_pools: { name: { any_: ['ecs-pool'] } },
      work_pool_queues: { name: { any_: ['default'] } },
      flow_runs: { state: { type: { any_: ['SCHEDULED'] } }, next_scheduled_start_time: { before_: '2026-11-21T12:02:00.000Z' } },
    });
  });

  it('asks what the next poll returns: due within the prefetch window (10 s)', () => {
    expect(demandFilters.dueNow(NOW)).toEqual({ state: { type: { any_: ['SCHEDULED'] } }, next_scheduled_start_time: { before_: '2026-11-21T12:00:10.000Z' } });
    expect(demandFilters.awaitingSlotNow(NOW)).toEqual({
      state: { type: { any_: ['SCHEDULED'] }, name: { any_: ['AwaitingConcurrencySlot'] } },
      next_scheduled_start_time: { before_: '2026-11-21T12:00:10.000Z' },
    });
  });

  it('counts runs being submitted by state name, and slot use by PENDING and RUNNING', () => {
    expect(demandFilters.submitting()).toEqual({ state: { type: { any_: ['PENDING'] }, name: { any_: ['Pending', 'Submitting'] } } });
    expect(demandFilters.occupyingSlots()).toEqual({ state: { type: { any_: ['PENDING', 'RUNNING'] } } });
  });

  it('leaves out the queue filter when the stack polls every queue', () => {
    expect(countBody('ecs-pool', undefined, demandFilters.running())).toEqual({ work_pools: { name: { any_: ['ecs-pool'] } }, flow_runs: { state: { type: { any_: ['RUNNING'] } } } });
  });

  it('reads the idle grace from end_time', () => {
    expect(demandFilters.endedSince(NOW, 60)).toEqual({ state: { type: { any_: ['COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED'] } }, end_time: { after_: '2026-11-21T11:59:00.000Z' } });
  });

  it('lists runs due later, soonest first, bounded', () => {
    expect(aheadListBody('ecs-pool', ['a'], NOW, 120, 31)).toMatchObject({
      flow_runs: { next_scheduled_start_time: { after_: '2026-11-21T12:00:10.000Z', before_: '2026-11-21T12:02:00.000Z' } },
      sort: 'NEXT_SCHEDULED_START_TIME_ASC',
      limit: 31,
    });
  });
});

describe('which queues can hand out runs', () => {
  const pool = (over: Partial<PoolState> = {}): PoolState => ({
    paused: false,
    concurrencyLimit: null,
    queues: [
      { name: 'default', paused: false, concurrencyLimit: null },
      { name: 'critical', paused: false, concurrencyLimit: 2 },
      { name: 'held', paused: true, concurrencyLimit: null },
    ],
    ...over,
  });

  it('splits the polled queues into open, limited and paused ones', () => {
    expect(queueScope(pool(), [])).toEqual({ polled: ['default', 'critical', 'held'], open: ['default'], limited: [pool().queues[1]], countTowardPool: ['default', 'critical'] });
  });

  it('polls only the stack\'s queues when it names them', () => {
    expect(queueScope(pool(), ['critical', 'missing'])).toMatchObject({ polled: ['critical'], open: [], limited: [pool().queues[1]] });
  });

  it('opens nothing in a paused pool', () => {
    expect(queueScope(pool({ paused: true }), [])).toMatchObject({ open: [], limited: [] });
  });
});

describe('runs due in one prefetch window', () => {
  it.each<[string, number[], number]>([
    ['none', [], 0],
    ['all at one moment', [100, 100, 100], 3],
    ['spread wider than the window', [0, 10, 20, 30], 1],
    ['two clusters', [0, 1, 2, 50, 51], 3],
    ['unsorted input', [51, 0, 50, 2, 1, 9.9], 4],
  ])('%s', (_name, times, peak) => {
    expect(peakWithinWindow(times, 10)).toBe(peak);
  });
});

describe('telling an unknown filter key from other failures', () => {
  const body = { flow_runs: { end_time: { after_: 'x' } } };
  const error = (status: number, answer: unknown) => new PrefectApiError(status, '/flow_runs/count', '', undefined, answer);

  it('recognises a Prefect 3.0.0-3.0.3 server (extra_forbidden)', () => {
    expect(rejectsFilterKey(error(422, extraKeysRejected('3.0.3', [['body', 'flow_runs', 'end_time']], body)), 'end_time')).toBe(true);
  });

  it('recognises a Prefect 2.x server (value_error.extra, "extra fields not permitted")', () => {
    expect(rejectsFilterKey(error(422, extraKeysRejected('2.20.25', [['body', 'flow_runs', 'end_time']], body)), 'end_time')).toBe(true);
  });

  it('recognises FastAPI\'s own {"detail": ...} shape (a proxy or Prefect Cloud)', () => {
    expect(rejectsFilterKey(error(422, { detail: [{ type: 'extra_forbidden', loc: ['body', 'flow_runs', 'end_time'] }] }), 'end_time')).toBe(true);
  });

  it.each<[string, unknown]>([
    ['another key', error(422, extraKeysRejected('3.0.3', [['body', 'flow_runs', 'other']], body))],
    ['another validation error', error(422, { exception_detail: [{ type: 'missing', loc: ['body', 'flow_runs', 'end_time'] }] })],
    ['a 400', error(400, extraKeysRejected('3.0.3', [['body', 'flow_runs', 'end_time']], body))],
    ['a body without details', error(422, 'Unprocessable')],
    ['not a Prefect error', new Error('end_time')],
  ])('does not mistake %s for it', (_name, e) => {
    expect(rejectsFilterKey(e, 'end_time')).toBe(false);
  });
});
