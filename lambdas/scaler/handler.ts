/**
 * The scaler's Lambda handler: parse the trigger, authenticate the webhook, evaluate.
 * A malformed or foreign event is logged and dropped (returning normally, so it is not retried).
 */
import type { LambdaFunctionURLResult } from 'aws-lambda';
import { errorMessage } from '../common/errors';
import { parseOrDrop } from '../common/events';
import type { ScalerConfig } from './config';
import { evaluate, type Evaluation, type ScalerDeps } from './evaluate';
import { isOfCluster, parseTrigger, type Trigger } from './parse';
import { tokensMatch } from './webhookAuth';

const respond = (statusCode: number, body: Record<string, unknown>): LambdaFunctionURLResult => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export type ScalerResult = Evaluation | LambdaFunctionURLResult | { readonly dropped: string };

export function createScalerHandler(config: ScalerConfig, deps: ScalerDeps) {
  return async (event: unknown): Promise<ScalerResult> => {
    const parsed = parseOrDrop(parseTrigger, event, deps.log);
    if (!parsed.ok) return { dropped: parsed.reason };
    const trigger = parsed.value;
    if (trigger.kind === 'task-state' && !isOfCluster(trigger.clusterArn, config.cluster)) {
      deps.log.warn('dropped event', { reason: 'task of another cluster', clusterArn: trigger.clusterArn });
      return { dropped: 'task of another cluster' };
    }
    if (trigger.kind !== 'webhook') return evaluate(config, deps, trigger);
    return handleWebhook(config, deps, trigger);
  };
}

async function handleWebhook(config: ScalerConfig, deps: ScalerDeps, trigger: Extract<Trigger, { kind: 'webhook' }>) {
  if (!config.webhookTokenSecretArn) return respond(404, { error: 'webhook disabled' });
  if (trigger.method !== 'POST') return respond(405, { error: 'use POST' });
  const expected = await deps.secrets.get(config.webhookTokenSecretArn);
  if (!tokensMatch(trigger.token, expected)) {
    deps.log.warn('webhook rejected', { reason: trigger.token ? 'wrong token' : 'no token' });
    return respond(401, { error: 'unauthorized' });
  }
  try {
    const result = await evaluate(config, deps, trigger);
    return respond(200, { desired: result.desired, previous: result.previous, reason: result.reason, changed: result.changed });
  } catch (error) {
    deps.log.error('webhook evaluation failed', { error: errorMessage(error) });
    return respond(503, { error: 'evaluation failed; the 1-minute schedule will retry' });
  }
}
