/**
 * The message the webhook function puts on the scaler's trigger queue: an EventBridge-shaped
 * event, so the scaler reads every trigger the same way. It carries no request data: it only
 * says "evaluate now".
 */
export const WEBHOOK_SOURCE = 'prefect-ecs-stack.webhook';
export const WEBHOOK_DETAIL_TYPE = 'Scaler Webhook';

/** All triggers share one FIFO message group: Lambda then runs one batch at a time. */
export const TRIGGER_MESSAGE_GROUP = 'scaler';

/**
 * At most one webhook evaluation per window: FIFO queues drop a message whose deduplication id
 * was used within the last 5 minutes
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagededuplicationid-property.html).
 */
export const WEBHOOK_WINDOW_SECONDS = 5;

export const webhookMessage = (now: Date) => ({
  body: JSON.stringify({ source: WEBHOOK_SOURCE, 'detail-type': WEBHOOK_DETAIL_TYPE, time: now.toISOString(), detail: {} }),
  deduplicationId: `webhook-${Math.floor(now.getTime() / (WEBHOOK_WINDOW_SECONDS * 1000))}`,
});
