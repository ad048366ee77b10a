/** The webhook function's environment: what templates/functions/scalerWebhook.ts writes and index.ts reads. */
export const ScalerWebhookEnv = {
  /** The scaler's FIFO trigger queue. */
  TriggerQueueUrl: 'TRIGGER_QUEUE_URL',
  WebhookTokenSecretArn: 'WEBHOOK_TOKEN_SECRET_ARN',
} as const;
