/**
 * The scaler's Lambda handler: parse the invocation, debounce, evaluate. A malformed or foreign
 * event is logged and dropped (returning normally, so it is not retried). A batch of the trigger
 * queue never fails: a failed FIFO batch would hold back every later trigger of the one message
 * group until it is retried, and a stale trigger is worth nothing (the next tick evaluates
 * anyway), so a failed evaluation is logged and counted (EvaluationFailures) instead.
 */
import { errorMessage } from '../common/errors';
import { parseOrDrop } from '../common/events';
import { sleep } from '../common/retry';
import { SCALER_TIMEOUT_SECONDS } from './budget';
import type { ScalerConfig } from './config';
import { planBatch } from './triggers/debounce';
import { evaluate, type Evaluation, type ScalerDeps, type TriggerKind } from './evaluate';
import { evaluationFailureMetrics } from './metrics';
import { isOfCluster, parseInvocation, type Trigger } from './triggers/parse';

export type ScalerResult = Evaluation | { readonly dropped: string } | { readonly skipped: string } | { readonly failed: string };

/** What the handler reads of the Lambda context. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

export interface HandlerDeps extends ScalerDeps {
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

const kindsOf = (triggers: readonly Trigger[]): TriggerKind[] => [...new Set(triggers.map((t) => t.kind))];

export function createScalerHandler(config: ScalerConfig, deps: HandlerDeps) {
  const ofThisCluster = (trigger: Trigger) => {
    if (trigger.kind !== 'task-state' || isOfCluster(trigger.clusterArn, config.cluster)) return true;
    deps.log.warn('dropped event', { reason: 'task of another cluster', clusterArn: trigger.clusterArn });
    return false;
  };
  const remainingMs = (context?: InvocationContext) => context?.getRemainingTimeInMillis() ?? SCALER_TIMEOUT_SECONDS * 1000;
  return async (event: unknown, context?: InvocationContext): Promise<ScalerResult> => {
    deps.budget.start(remainingMs(context));
    const parsed = parseOrDrop(parseInvocation, event, deps.log);
    if (!parsed.ok) return { dropped: parsed.reason };
    const invocation = parsed.value;
    if (invocation.kind === 'direct') {
      return ofThisCluster(invocation.trigger) ? evaluate(config, deps, [invocation.trigger.kind]) : { dropped: 'task of another cluster' };
    }
    for (const d of invocation.dropped) deps.log.warn('dropped event', d);
    const batch = invocation.triggers.filter((q) => ofThisCluster(q.trigger));
    const plan = planBatch(batch, deps.memory.lastEvaluationStartedAt, deps.now().getTime());
    if (plan.action === 'skip') {
      deps.log.debug('batch skipped', { reason: plan.reason, messages: batch.length });
      return { skipped: plan.reason };
    }
    if (plan.action === 'wait') {
      await (deps.sleep ?? sleep)(plan.ms);
      if (context) deps.budget.start(context.getRemainingTimeInMillis());
    }
    try {
      return await evaluate(config, deps, kindsOf(batch.map((q) => q.trigger)));
    } catch (error) {
      deps.log.error('evaluation failed', { error: errorMessage(error) });
      deps.writeMetrics(evaluationFailureMetrics(config));
      return { failed: errorMessage(error) };
    }
  };
}
