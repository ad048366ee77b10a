import fc from 'fast-check';
import { activeRuns, decideDesiredCount, submissionBacklog, workersNeeded, type Demand, type ScalingSettings } from '../../../lambdas/scaler/policy';

const settings: ScalingSettings = { minWorkers: 0, maxWorkers: 3, submissionsPerWorker: 10, lookaheadSeconds: 120, idleGraceSeconds: 60 };
const idle: Demand = { due: 0, dueNow: 0, awaitingSlot: 0, dueSoon: 0, peakAhead: 0, untakeable: 0, pending: 0, submitting: 0, running: 0, cancelling: 0, ignored: {} };

describe('scaling policy (examples)', () => {
  it.each<[string, number, Partial<Demand>, number, string]>([
    ['scales to 0 when nothing is due, pending, running or cancelling', 1, {}, 0, 'scale-in'],
    ['wakes one worker for a run due within the look-ahead', 0, { due: 1, peakAhead: 1 }, 1, 'scale-out'],
    ['keeps one worker for 24 running flow runs: a running run holds no --limit slot', 1, { running: 24 }, 1, 'steady'],
    ['keeps no worker for a cancelling run: a worker does nothing for it', 1, { cancelling: 1 }, 0, 'scale-in'],
    ['keeps no worker for runs nothing will move (in-process retries, limit-0 deployments, stuck runs)', 1, { ignored: { 'in-process-retry': 1, 'zero-limit-deployment': 4, stuck: 2 } }, 0, 'scale-in'],
    ['keeps one worker while runs are pending (their tasks start)', 1, { pending: 5 }, 1, 'steady'],
    ['adds workers for runs already due beyond one poll of the fleet (25 runs, 10 per poll)', 1, { due: 25, dueNow: 25 }, 3, 'scale-out'],
    ['counts runs being submitted in the backlog', 1, { due: 5, dueNow: 5, pending: 12, submitting: 12 }, 2, 'scale-out'],
    ['does not add workers for runs a deployment limit bounced (AwaitingConcurrencySlot)', 1, { due: 30, dueNow: 30, awaitingSlot: 28 }, 1, 'steady'],
    ['wakes enough workers to take runs due at the same moment in one poll (24 runs)', 0, { due: 24, peakAhead: 24 }, 3, 'scale-out'],
    ['wakes one worker for 24 runs spread over the look-ahead (at most 8 share a window)', 0, { due: 24, peakAhead: 8 }, 1, 'scale-out'],
    ['never exceeds max workers (a burst of 400)', 0, { due: 400, dueNow: 400 }, 3, 'scale-out'],
    ['wakes nothing for due runs no worker can take (paused pool or queue, limits)', 1, { untakeable: 7 }, 0, 'scale-in'],
    ['keeps the extra workers while a submission backlog remains', 3, { due: 4, dueNow: 4, running: 30 }, 3, 'backlog'],
    ['removes the extra workers once the backlog is gone', 3, { running: 30 }, 1, 'scale-in'],
    ['keeps the extra workers while a run is due within the prefetch window plus the scale-in margin (one could take it and be stopped)', 3, { due: 1, dueSoon: 1, running: 30 }, 3, 'backlog'],
    ['removes them for runs due later than that', 3, { due: 1, peakAhead: 1, running: 30 }, 1, 'scale-in'],
    ['holds one worker through the idle grace after a run ended', 2, { endedWithinGrace: true }, 1, 'idle-grace'],
    ['scales to 0 when the server cannot tell whether a run ended (Prefect < 3.0.4)', 1, { endedWithinGrace: undefined }, 0, 'scale-in'],
  ])('%s', (_name, current, demand, desired, reason) => {
    expect(decideDesiredCount(current, { ...idle, ...demand }, settings)).toMatchObject({ desired, reason });
  });

  it('keeps the current count when demand cannot be read', () => {
    expect(decideDesiredCount(2, undefined, settings)).toEqual({ desired: 2, reason: 'demand-unreadable' });
  });

  it('keeps min workers warm and brings a count above max back within bounds', () => {
    expect(decideDesiredCount(0, idle, { ...settings, minWorkers: 1 })).toMatchObject({ desired: 1, reason: 'scale-out' });
    expect(decideDesiredCount(9, { ...idle, due: 50, dueNow: 50 }, settings).desired).toBe(3);
    expect(decideDesiredCount(9, undefined, settings).desired).toBe(3);
  });

  it('reports the backlog it decided on', () => {
    expect(decideDesiredCount(1, { ...idle, due: 12, dueNow: 12, awaitingSlot: 2, pending: 3, submitting: 3 }, settings)).toMatchObject({ backlog: 13, needed: 2 });
  });
});

const settingsArb = fc
  .record({ minWorkers: fc.integer({ min: 0, max: 5 }), extra: fc.integer({ min: 0, max: 10 }), submissionsPerWorker: fc.integer({ min: 1, max: 20 }) })
  .map(({ minWorkers, extra, submissionsPerWorker }) => ({
    minWorkers,
    maxWorkers: Math.max(1, minWorkers + extra),
    submissionsPerWorker,
    lookaheadSeconds: 120,
    idleGraceSeconds: 60,
  }));
const demandArb = fc
  .record({
    due: fc.nat(300),
    nowShare: fc.double({ min: 0, max: 1, noNaN: true }),
    awaitingShare: fc.double({ min: 0, max: 1, noNaN: true }),
    peakShare: fc.double({ min: 0, max: 1, noNaN: true }),
    untakeable: fc.nat(50),
    pending: fc.nat(50),
    submittingShare: fc.double({ min: 0, max: 1, noNaN: true }),
    running: fc.nat(50),
    cancelling: fc.nat(5),
    ignored: fc.nat(5),
    endedWithinGrace: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map((d): Demand => {
    const dueNow = Math.floor(d.due * d.nowShare);
    const awaitingSlot = Math.floor(dueNow * d.awaitingShare);
    return {
      due: d.due,
      dueNow,
      awaitingSlot,
      dueSoon: Math.floor((d.due - awaitingSlot) * d.nowShare),
      peakAhead: Math.floor((d.due - dueNow) * d.peakShare),
      untakeable: d.untakeable,
      pending: d.pending,
      submitting: Math.floor(d.pending * d.submittingShare),
      running: d.running,
      cancelling: d.cancelling,
      ignored: { stuck: d.ignored },
      endedWithinGrace: d.endedWithinGrace,
    };
  });
const currentArb = fc.nat(20);

describe('scaling policy (properties)', () => {
  it('never 0 while a takeable run is due, or any run is pending or running', () => {
    fc.assert(
      fc.property(currentArb, demandArb, settingsArb, (current, demand, s) => {
        if (activeRuns(demand) > 0) expect(decideDesiredCount(current, demand, s).desired).toBeGreaterThan(0);
      }),
    );
  });

  it('wakes nothing for runs no worker can take, cancelling runs or runs nothing moves', () => {
    fc.assert(
      fc.property(fc.nat(100), settingsArb, (untakeable, s) => {
        expect(workersNeeded({ ...idle, untakeable, cancelling: untakeable, ignored: { stuck: untakeable } }, s)).toBe(0);
      }),
    );
  });

  it('stays within [min, max] and never needs fewer workers for a bigger backlog', () => {
    fc.assert(
      fc.property(currentArb, fc.option(demandArb, { nil: undefined }), settingsArb, (current, demand, s) => {
        const { desired } = decideDesiredCount(current, demand, s);
        expect(desired).toBeGreaterThanOrEqual(s.minWorkers);
        expect(desired).toBeLessThanOrEqual(s.maxWorkers);
      }),
    );
    fc.assert(
      fc.property(currentArb, demandArb, fc.nat(100), settingsArb, (current, demand, more, s) => {
        const bigger = { ...demand, due: demand.due + more, dueNow: demand.dueNow + more };
        expect(decideDesiredCount(current, bigger, s).desired).toBeGreaterThanOrEqual(decideDesiredCount(current, demand, s).desired);
      }),
    );
  });

  it('covers the backlog in one poll when max workers allow', () => {
    fc.assert(
      fc.property(currentArb, demandArb, settingsArb, (current, demand, s) => {
        const { desired } = decideDesiredCount(current, demand, s);
        expect(desired * s.submissionsPerWorker).toBeGreaterThanOrEqual(Math.min(submissionBacklog(demand), s.maxWorkers * s.submissionsPerWorker));
      }),
    );
  });

  it('never scales in while a submission backlog remains or a run is due soon, and keeps at most one worker for the grace', () => {
    fc.assert(
      fc.property(currentArb, demandArb, settingsArb, (current, demand, s) => {
        const decision = decideDesiredCount(current, demand, s);
        const withinBounds = Math.min(s.maxWorkers, Math.max(s.minWorkers, current));
        if (decision.desired < withinBounds) expect(submissionBacklog(demand) + demand.dueSoon).toBe(0);
        if (decision.reason === 'idle-grace') expect(decision.desired).toBe(1);
      }),
    );
  });

  it('does not flap: applying the decision again to the same demand changes nothing', () => {
    fc.assert(
      fc.property(currentArb, demandArb, settingsArb, (current, demand, s) => {
        const first = decideDesiredCount(current, demand, s).desired;
        expect(decideDesiredCount(first, demand, s).desired).toBe(first);
      }),
    );
  });

  it('never scales in on unreadable demand', () => {
    fc.assert(
      fc.property(currentArb, settingsArb, (current, s) => {
        expect(decideDesiredCount(current, undefined, s).desired).toBe(Math.min(s.maxWorkers, Math.max(s.minWorkers, current)));
      }),
    );
  });
});

describe('the per-tick reading of a backlog (bench:scaling compares it)', () => {
  it('adds workers only for what the fleet cannot take in that many polls', () => {
    const burst = { ...idle, due: 60, dueNow: 60 };
    expect(decideDesiredCount(1, burst, settings).desired).toBe(3);
    expect(decideDesiredCount(1, burst, settings, 6).desired).toBe(1);
    expect(decideDesiredCount(1, { ...burst, due: 130, dueNow: 130 }, settings, 6).desired).toBe(3);
  });

  it('still takes runs due at one moment in one poll', () => {
    expect(decideDesiredCount(0, { ...idle, due: 24, peakAhead: 24 }, settings, 6).desired).toBe(3);
  });
});
