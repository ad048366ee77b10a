/**
 * What woke the scaler: the 1-minute schedule, an ECS task state change, or the webhook (a
 * Lambda function URL request). Anything else is an InvalidEventError: logged and dropped.
 */
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { InvalidEventError } from '../common/errors';

export type Trigger =
  | { readonly kind: 'schedule'; readonly time?: string }
  | { readonly kind: 'task-state'; readonly clusterArn: string; readonly taskArn: string; readonly lastStatus: string }
  | { readonly kind: 'webhook'; readonly method: string; readonly token?: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseTrigger(event: unknown): Trigger {
  if (!isObject(event)) throw new InvalidEventError('not a JSON object');
  if (isObject(event.requestContext) && isObject(event.requestContext.http)) return parseWebhook(event as unknown as LambdaFunctionURLEvent);
  const detailType = event['detail-type'];
  if (detailType === 'Scheduled Event' && event.source === 'aws.events') {
    return { kind: 'schedule', time: typeof event.time === 'string' ? event.time : undefined };
  }
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

function parseWebhook(event: LambdaFunctionURLEvent): Trigger {
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
  const token = (bearer ?? headers['x-webhook-token'])?.trim();
  return { kind: 'webhook', method: event.requestContext.http.method, token: token || undefined };
}

/** Whether a task-state event is about this cluster (the rule filters, but events can be replayed). */
export const isOfCluster = (clusterArn: string, clusterName: string) =>
  clusterArn === clusterName || clusterArn.endsWith(`:cluster/${clusterName}`);
