import { Budget, SAFETY_MS, UPDATE_RESERVE_MS } from '../../../lambdas/scaler/budget';

describe('the time budget of one invocation', () => {
  let clock = 0;
  const budget = new Budget(() => clock);

  it('sets no deadline before an invocation starts', () => {
    expect(budget.prefectDeadlineAt()).toBeUndefined();
    expect(budget.awsSignal()).toBeUndefined();
    expect(budget.has(1e9)).toBe(true);
  });

  it('ends SAFETY_MS before the Lambda timeout, and Prefect requests UPDATE_RESERVE_MS before that', () => {
    clock = 1_000_000;
    budget.start(60_000);
    expect(budget.remainingMs()).toBe(60_000 - SAFETY_MS);
    expect(budget.prefectDeadlineAt()).toBe(1_000_000 + 60_000 - SAFETY_MS - UPDATE_RESERVE_MS);
    clock += 40_000;
    expect(budget.has(17_000)).toBe(true);
    expect(budget.hasForPrefect(17_000)).toBe(false);
    expect(budget.hasForPrefect(17_000 - UPDATE_RESERVE_MS)).toBe(true);
    expect(budget.awsSignal()?.aborted).toBe(false);
  });

  it('starts afresh per invocation (the client made at cold start reads the new deadline)', () => {
    clock = 5_000_000;
    budget.start(10_000);
    expect(budget.prefectDeadlineAt()).toBe(5_000_000 + 10_000 - SAFETY_MS - UPDATE_RESERVE_MS);
    expect(budget.has(10_000 - SAFETY_MS + 1)).toBe(false);
  });
});
