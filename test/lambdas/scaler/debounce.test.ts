import { EVENT_DEBOUNCE_SECONDS, planBatch } from '../../../lambdas/scaler/triggers/debounce';
import type { QueuedTrigger } from '../../../lambdas/scaler/triggers/parse';

const task = (sentAt: number): QueuedTrigger => ({ trigger: { kind: 'task-state', clusterArn: 'c', taskArn: 't', lastStatus: 'STOPPED' }, sentAt });
const tick = (sentAt: number): QueuedTrigger => ({ trigger: { kind: 'schedule' }, sentAt });
const webhook = (sentAt: number): QueuedTrigger => ({ trigger: { kind: 'webhook' }, sentAt });
const T = 1_000_000;

describe('serving a batch of the trigger queue', () => {
  it('evaluates the first batch of a cold start and every tick', () => {
    expect(planBatch([task(T)], undefined, T)).toEqual({ action: 'evaluate' });
    expect(planBatch([tick(T - 5000)], T, T + 1)).toEqual({ action: 'evaluate' });
  });

  it('skips a batch whose messages were all sent before the last evaluation started (it saw them)', () => {
    expect(planBatch([task(T - 3000), webhook(T - 1)], T, T + 500)).toEqual({ action: 'skip', reason: 'sent before the last evaluation started' });
  });

  it('makes task events alone wait until the debounce interval after the last evaluation', () => {
    expect(planBatch([task(T + 1000), task(T + 2000)], T, T + 2500)).toEqual({ action: 'wait', ms: EVENT_DEBOUNCE_SECONDS * 1000 - 2500 });
    expect(planBatch([task(T + 1000)], T, T + EVENT_DEBOUNCE_SECONDS * 1000)).toEqual({ action: 'evaluate' });
  });

  it('does not make the webhook wait', () => {
    expect(planBatch([task(T + 1000), webhook(T + 1500)], T, T + 2000)).toEqual({ action: 'evaluate' });
  });

  it('skips an empty batch (every message dropped)', () => {
    expect(planBatch([], T, T)).toMatchObject({ action: 'skip' });
  });
});
