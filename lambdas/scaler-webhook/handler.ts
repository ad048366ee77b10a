/**
 * The scaler's webhook, a function of its own: a Prefect Automation calls its function URL when a
 * run is scheduled or pending, and it only asks for an evaluation by putting one message on the
 * scaler's FIFO trigger queue. So requests (authenticated or not) never take the scaler's turn,
 * the scaler still evaluates one batch at a time, and the deduplication id lets at most one
 * webhook evaluation through per WEBHOOK_WINDOW_SECONDS however often it is called.
 * Unauthenticated requests get 401 and cause no AWS call (the token is read at cold start and
 * kept). When the token cannot be read, requests get 503 and the read is tried again only after
 * TOKEN_RETRY_SECONDS, so a flood of requests does not become a flood of Secrets Manager calls.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { errorMessage } from '../common/errors';
import type { Logger } from '../common/log';
import type { SecretReader } from '../common/aws/secrets';
import { TRIGGER_MESSAGE_GROUP, webhookMessage } from '../scaler/triggers/message';
import { tokensMatch } from './webhookAuth';

/** After a failed read of the token, requests get 503 for this long without another read. */
export const TOKEN_RETRY_SECONDS = 5;

export interface WebhookConfig {
  readonly queueUrl: string;
  readonly tokenSecretArn: string;
}

export interface WebhookDeps {
  readonly sqs: Pick<SQSClient, 'send'>;
  readonly secrets: SecretReader;
  readonly log: Logger;
  readonly now: () => Date;
}

/** A function URL response (the structured form Lambda accepts). */
export interface WebhookResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const respond = (statusCode: number, body: Record<string, unknown>): WebhookResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The token from `Authorization: Bearer <token>` or `X-Webhook-Token`. */
export function tokenOf(headers: unknown): string | undefined {
  const lower = Object.fromEntries(Object.entries(isObject(headers) ? headers : {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const bearer = /^Bearer\s+(.+)$/i.exec(lower.authorization ?? '')?.[1];
  return (bearer ?? lower['x-webhook-token'])?.trim() || undefined;
}

export function createWebhookHandler(config: WebhookConfig, deps: WebhookDeps) {
  let tokenUnreadableUntil = 0;
  const expectedToken = async (): Promise<string | undefined> => {
    if (deps.now().getTime() < tokenUnreadableUntil) return undefined;
    try {
      return await deps.secrets.get(config.tokenSecretArn);
    } catch (error) {
      tokenUnreadableUntil = deps.now().getTime() + TOKEN_RETRY_SECONDS * 1000;
      deps.log.error('webhook token unreadable', { error: errorMessage(error), retryInSeconds: TOKEN_RETRY_SECONDS });
      return undefined;
    }
  };
  return async (event: unknown): Promise<WebhookResponse> => {
    const http = isObject(event) && isObject(event.requestContext) ? event.requestContext.http : undefined;
    if (!isObject(http)) {
      deps.log.warn('dropped event', { reason: 'not a function URL request' });
      return respond(400, { error: 'not a function URL request' });
    }
    if (http.method !== 'POST') return respond(405, { error: 'use POST' });
    const token = tokenOf((event as Record<string, unknown>).headers);
    const expected = await expectedToken();
    if (expected === undefined) return respond(503, { error: 'the webhook cannot check tokens right now; the 1-minute schedule will evaluate' });
    if (!tokensMatch(token, expected)) {
      deps.log.warn('webhook rejected', { reason: token ? 'wrong token' : 'no token' });
      return respond(401, { error: 'unauthorized' });
    }
    const message = webhookMessage(deps.now());
    try {
      await deps.sqs.send(
        new SendMessageCommand({
          QueueUrl: config.queueUrl,
          MessageBody: message.body,
          MessageGroupId: TRIGGER_MESSAGE_GROUP,
          MessageDeduplicationId: message.deduplicationId,
        }),
      );
    } catch (error) {
      deps.log.error('webhook could not queue an evaluation', { error: errorMessage(error) });
      return respond(503, { error: 'could not queue an evaluation; the 1-minute schedule will evaluate' });
    }
    deps.log.info('evaluation queued', { deduplicationId: message.deduplicationId });
    return respond(202, { queued: true });
  };
}
