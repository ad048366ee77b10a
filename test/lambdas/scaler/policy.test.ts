import fc from 'fast-check';
import { activeRuns, decideDesiredCount, type Demand, type ScalingSettings } from '../../../lambdas/scaler/policy';

const settings: ScalingSettings = { minWorkers: 0, maxWorkers: 3, runsPerWorker: 4, lookaheadSeconds: 300, idleGraceSeconds: 120 };
const idle: Demand = { dueSoon: 0, pending: 0, running: 0, cancelling: 0, endedWithinGrace: false };

describe('scaling policy (examples)', () => {
  it.each<[string, number, Partial<Demand>, number, string]>([
    ['scales to 0 when nothing is due within the look-ahead', 1, {}, 0, 'scale-in'],
    ['wakes a worker for a run due within the look-ahead', 0, { dueSoon: 1 }, 1, 'scale-out'],
    ['covers demand by runs per worker (5 runs, 4 per worker)', 0, { pending: 3, running: 2 }, 2, 'scale-out'],
    ['never exceeds max workers (a spike of 200)', 0, { dueSoon: 200 }, 3, 'scale-out'],
    ['keeps a worker while a run is cancelling', 1, { cancelling: 1 }, 1, 'steady'],
    ['holds workers through the idle grace after a run ended', 2, { endedWithinGrace: true }, 2, 'idle-grace'],
    ['scales in part-way once the grace has passed', 3, { running: 5 }, 2, 'scale-in'],
    ['does not scale in part-way within the grace', 3, { running: 5, endedWithinGrace: true }, 3, 'idle-grace'],
  ])('%s', (_name, current, demand, desired, reason) => {
    expect(decideDesiredCount(current, { ...idle, ...demand }, settings)).toMatchObject({ desired, reason });
  });

  it('keeps the current count when demand cannot be read', () => {
    expect(decideDesiredCount(2, undefined, settings)).toEqual({ desired: 2, reason: 'demand-unreadable' });
  });

  it('keeps min workers warm and brings a count above max back within bounds', () => {
    expect(decideDesiredCount(0, idle, { ...settings, minWorkers: 1 })).toMatchObject({ desired: 1, reason: 'scale-out' });
    expect(decideDesiredCount(9, { ...idle, endedWithinGrace: true }, settings).desired).toBe(3);
    expect(decideDesiredCount(9, undefined, settings).desired).toBe(3);
  });
});

const settingsArb = fc
  .record({
    minWorkers: fc.integer({ min: 0, max: 5 }),
    extra: fc.integer({ min: 0, max: 10 }),
    runsPerWorker: fc.integer({ min: 1, max: 20 }),
  })
  .map(({ minWorkers, extra, runsPerWorker }) => ({
    minWorkers,
    maxWorkers: Math.max(1, minWorkers + extra),
    runsPerWorker,
    lookaheadSeconds: 300,
    idleGraceSeconds: 120,
  }));
const demandArb = fc.record({
  dueSoon: fc.nat(300),
  pending: fc.nat(50),
  running: fc.nat(50),
  cancelling: fc.nat(5),
  endedWithinGrace: fc.boolean(),
});
const currentArb = fc.nat(20);

describe('scaling policy (properties)', () => {
  it('1. never 0 while a run is due, pending, running or cancelling', () => {
    fc.assert(
      fc.property(currentArb, demandArb, settingsArb, (current, demand, s) => {
        if (activeRuns(demand) > 0) expect(decideDesiredCount(current, demand, s).desired).toBeGreaterThan(0);
      }),
    );
  });

  it('2. always within [min, max], and grows with demand by runs per worker', () => {
    fc.assert(
      fc.property(currentArb, fc.option(demandArb, { nil: undefined }), settingsArb, (current, demand, s) => {
        const { desired } = decideDesiredCount(current, demand, s);
        expect(desired).toBeGreaterThanOrEqual(s.minWorkers);
        expect(desired).toBeLessThanOrEqual(s.maxWorkers);
      }),
    );
    fc.assert(
      fc.property(currentArb, demandArb, settingsArb, (current, demand, s) => {
        const { desired } = decideDesiredCount(current, demand, s);
        const capacityNeeded = Math.min(s.maxWorkers, Math.ceil(activeRuns(demand) / s.runsPerWorker));
        expect(desired).toBeGreaterThanOrEqual(capacityNeeded);
        const more = decideDesiredCount(current, { ...demand, pending: demand.pending + s.runsPerWorker }, s).desired;
        expect(more).toBeGreaterThanOrEqual(desired);
      }),
    );
  });

  it('3. scales in only when the grace has passed, and never below what visible demand needs', () => {
    fc.assert(
      fc.property(currentArb, demandArb, settingsArb, (current, demand, s) => {
        const decision = decideDesiredCount(current, demand, s);
        const withinBounds = Math.min(s.maxWorkers, Math.max(s.minWorkers, current));
        if (decision.desired < withinBounds) {
          expect(demand.endedWithinGrace).toBe(false);
          expect(decision.desired * s.runsPerWorker).toBeGreaterThanOrEqual(Math.min(activeRuns(demand), s.maxWorkers * s.runsPerWorker));
        }
      }),
    );
  });

  it('3. no flapping: applying the decision again to the same demand changes nothing', () => {
    fc.assert(
      fc.property(currentArb, demandArb, settingsArb, (current, demand, s) => {
        const first = decideDesiredCount(current, demand, s).desired;
        expect(decideDesiredCount(first, demand, s).desired).toBe(first);
      }),
    );
  });

  it('4. unreadable demand never scales in', () => {
    fc.assert(
      fc.property(currentArb, settingsArb, (current, s) => {
        const { desired } = decideDesiredCount(current, undefined, s);
        expect(desired).toBe(Math.min(s.maxWorkers, Math.max(s.minWorkers, current)));
      }),
    );
  });
});
