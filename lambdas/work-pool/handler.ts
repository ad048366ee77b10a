/**
 * The work-pool custom resource: always answers CloudFormation, success or a failure with a
 * reason a person can act on, well before the Lambda times out, so a stack never hangs.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { errorMessage } from '../common/errors';
import type { FetchLike } from '../common/http';
import type { Logger } from '../common/log';
import type { PrefectClient } from '../common/prefect/client';
import { sendCfnResponse, type CfnResponseDocument } from './cfnResponse';
import { UnknownRequestTypeError, WorkTimeoutError } from './errors';
import { deleteWorkPool, ensureWorkPool } from './pool';
import { readPoolSettings } from './settings';

/** Marks the physical ID of a pool this resource never created, so a rollback leaves it alone. */
export const FAILED_CREATE_PREFIX = 'prefect-ecs-stack:not-created:';

export interface WorkPoolDeps {
  readonly prefect: PrefectClient;
  readonly log: Logger;
  /** Answers CloudFormation; injectable for tests. @default PUT to the ResponseURL */
  readonly fetch?: FetchLike;
  /** Time kept back from the Lambda's remaining time to answer CloudFormation, in ms. @default 15000 */
  readonly answerReserveMs?: number;
}

interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

type Outcome = { physicalId: string; data: Record<string, string>; summary: string };

async function perform(event: CloudFormationCustomResourceEvent, deps: WorkPoolDeps): Promise<Outcome> {
  if (event.RequestType === 'Delete') {
    const physicalId = event.PhysicalResourceId;
    if (physicalId.startsWith(FAILED_CREATE_PREFIX)) return { physicalId, data: {}, summary: 'nothing to delete: the create had failed' };
    const settings = readPoolSettings(event.ResourceProperties);
    if (!settings.removeOnDelete) return { physicalId, data: {}, summary: `left work pool ${physicalId} in Prefect (RemoveWorkPoolOnDelete=false)` };
    const result = await deleteWorkPool(deps.prefect, physicalId);
    return { physicalId, data: {}, summary: result === 'deleted' ? `deleted work pool ${physicalId}` : `work pool ${physicalId} was already gone` };
  }
  const settings = readPoolSettings(event.ResourceProperties);
  const outcome = await ensureWorkPool(deps.prefect, settings);
  return {
    physicalId: settings.workPoolName,
    data: { WorkPoolName: settings.workPoolName, WorkPoolId: outcome.poolId ?? '' },
    summary: `work pool ${settings.workPoolName} ${outcome.action}`,
  };
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WorkTimeoutError(Math.round(ms / 1000))), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function looksLikeRequest(event: unknown): event is CloudFormationCustomResourceEvent {
  const e = event as Record<string, unknown> | null;
  return !!e && typeof e.ResponseURL === 'string' && typeof e.RequestType === 'string' && typeof e.StackId === 'string' && typeof e.RequestId === 'string';
}

export function createWorkPoolHandler(deps: WorkPoolDeps) {
  return async (event: unknown, context?: LambdaContextLike): Promise<CfnResponseDocument | { dropped: string }> => {
    if (!looksLikeRequest(event)) {
      // Without a ResponseURL there is no one to answer; retrying would not change that.
      deps.log.error('dropped event: not a CloudFormation custom resource request', { keys: event && typeof event === 'object' ? Object.keys(event) : typeof event });
      return { dropped: 'not a CloudFormation custom resource request' };
    }
    const started = Date.now();
    const budget = Math.max(1000, (context?.getRemainingTimeInMillis() ?? 120_000) - (deps.answerReserveMs ?? 15_000));
    const base = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
    const previousId = event.RequestType === 'Create' ? `${FAILED_CREATE_PREFIX}${event.RequestId}` : event.PhysicalResourceId;
    let document: CfnResponseDocument;
    try {
      const known = ['Create', 'Update', 'Delete'].includes(event.RequestType);
      if (!known) throw new UnknownRequestTypeError(event.RequestType);
      const outcome = await withDeadline(perform(event, deps), budget);
      document = { ...base, Status: 'SUCCESS', PhysicalResourceId: outcome.physicalId, Data: outcome.data, Reason: outcome.summary };
    } catch (error) {
      document = { ...base, Status: 'FAILED', PhysicalResourceId: previousId, Reason: errorMessage(error) };
    }
    await sendCfnResponse(event.ResponseURL, document, { attempts: 5, timeoutMs: 5000, deadlineMs: 12_000 }, deps.fetch);
    deps.log.info('answered CloudFormation', {
      requestType: event.RequestType,
      status: document.Status,
      reason: document.Reason,
      physicalResourceId: document.PhysicalResourceId,
      elapsedMs: Date.now() - started,
    });
    return document;
  };
}
