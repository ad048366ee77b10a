/**
 * How a batch from the trigger queue is served. Lambda hands a FIFO queue's single message group
 * to one invocation at a time (batches of up to 10; FIFO has no batching window:
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html), so a burst of ECS
 * task events becomes a run of small batches. An evaluation reads the state as it is when it
 * starts, so a batch whose messages were all sent before the last evaluation started brings
 * nothing new; and task events alone wait until EVENT_DEBOUNCE_SECONDS after the last
 * evaluation, so a burst costs one evaluation per interval. The tick and the webhook (already
 * limited to one message per WEBHOOK_WINDOW_SECONDS) are served at once.
 */
import type { QueuedTrigger } from './parse';

export const EVENT_DEBOUNCE_SECONDS = 10;

export type BatchPlan =
  | { readonly action: 'evaluate' }
  | { readonly action: 'wait'; readonly ms: number }
  | { readonly action: 'skip'; readonly reason: string };

export function planBatch(batch: readonly QueuedTrigger[], lastStartedAt: number | undefined, now: number): BatchPlan {
  if (batch.length === 0) return { action: 'skip', reason: 'no usable trigger in the batch' };
  if (batch.some((q) => q.trigger.kind === 'schedule')) return { action: 'evaluate' };
  if (lastStartedAt === undefined) return { action: 'evaluate' };
  if (batch.every((q) => q.sentAt < lastStartedAt)) return { action: 'skip', reason: 'sent before the last evaluation started' };
  const onlyTaskEvents = batch.every((q) => q.trigger.kind === 'task-state');
  const waitMs = lastStartedAt + EVENT_DEBOUNCE_SECONDS * 1000 - now;
  return onlyTaskEvents && waitMs > 0 ? { action: 'wait', ms: waitMs } : { action: 'evaluate' };
}
