/**
 * What woke the scaler. Normally a batch from its FIFO trigger queue (SQS records whose bodies are
 * the 1-minute schedule event, an ECS task state change, or the webhook's message); a single
 * such event when invoked directly. Anything else is an InvalidEventError: logged and dropped.
 */
import { InvalidEventError, errorMessage } from '../../common/errors';
import { WEBHOOK_DETAIL_TYPE, WEBHOOK_SOURCE } from './message';

export type Trigger =
  | { readonly kind: 'schedule'; readonly time?: string }
  | { readonly kind: 'task-state'; readonly clusterArn: string; readonly taskArn: string; readonly lastStatus: string }
  | { readonly kind: 'webhook'; readonly time?: string };

export interface QueuedTrigger {
  readonly trigger: Trigger;
  /** Epoch ms the message was sent (SQS SentTimestamp). */
  readonly sentAt: number;
}

export type Invocation =
  | { readonly kind: 'batch'; readonly triggers: readonly QueuedTrigger[]; readonly dropped: readonly { messageId?: string; reason: string }[] }
  | { readonly kind: 'direct'; readonly trigger: Trigger };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const timeOf = (event: Record<string, unknown>) => (typeof event.time === 'string' ? event.time : undefined);

export function parseTrigger(event: unknown): Trigger {
  if (!isObject(event)) throw new InvalidEventError('not a JSON object');
  const detailType = event['detail-type'];
  if (detailType === 'Scheduled Event' && event.source === 'aws.events') return { kind: 'schedule', time: timeOf(event) };
  if (detailType === WEBHOOK_DETAIL_TYPE && event.source === WEBHOOK_SOURCE) return { kind: 'webhook', time: timeOf(event) };
  if (detailType === 'ECS Task State Change' && event.source === 'aws.ecs') {
    const detail = event.detail;
    if (!isObject(detail)) throw new InvalidEventError('ECS task state change without detail');
    const { clusterArn, taskArn, lastStatus } = detail;
    if (typeof clusterArn !== 'string' || typeof taskArn !== 'string' || typeof lastStatus !== 'string') {
      throw new InvalidEventError('ECS task state change without clusterArn, taskArn or lastStatus');
    }
    return { kind: 'task-state', clusterArn, taskArn, lastStatus };
  }
  throw new InvalidEventError('unknown event', { source: event.source, detailType });
}

function parseRecord(record: Record<string, unknown>): QueuedTrigger {
  let body: unknown;
  try {
    body = JSON.parse(String(record.body));
  } catch (error) {
    throw new InvalidEventError(`message body is not JSON (${errorMessage(error)})`);
  }
  const attributes = isObject(record.attributes) ? record.attributes : {};
  const sentAt = Number(attributes.SentTimestamp);
  if (!Number.isFinite(sentAt)) throw new InvalidEventError('message without SentTimestamp');
  return { trigger: parseTrigger(body), sentAt };
}

/** A trigger-queue batch or a single event; a bad record is dropped, the rest are kept. */
export function parseInvocation(event: unknown): Invocation {
  if (!isObject(event) || !Array.isArray(event.Records)) return { kind: 'direct', trigger: parseTrigger(event) };
  const triggers: QueuedTrigger[] = [];
  const dropped: { messageId?: string; reason: string }[] = [];
  for (const record of event.Records) {
    const messageId = isObject(record) && typeof record.messageId === 'string' ? record.messageId : undefined;
    try {
      if (!isObject(record) || record.eventSource !== 'aws:sqs') throw new InvalidEventError('not an SQS record');
      triggers.push(parseRecord(record));
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      dropped.push({ messageId, reason: error.message });
    }
  }
  if (triggers.length === 0 && dropped.length === 0) throw new InvalidEventError('an empty batch');
  return { kind: 'batch', triggers, dropped };
}

/** Whether a task-state event is about this cluster (the rule filters, but events can be replayed). */
export const isOfCluster = (clusterArn: string, clusterName: string) =>
  clusterArn === clusterName || clusterArn.endsWith(`:cluster/${clusterName}`);
