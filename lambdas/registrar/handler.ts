/**
 * The registrar's handler: parse the ECR event, read the manifest, plan, register, and log one
 * line per deployment. A malformed or foreign event and a bad manifest are logged and dropped;
 * Prefect and AWS failures are thrown so EventBridge retries, then the DLQ keeps the event.
 */
import { parseOrDrop } from '../common/events';
import type { Logger } from '../common/log';
import type { PrefectClient } from '../common/prefect/client';
import { ManifestError } from './errors';
import { parseImageAction } from './event';
import type { EcrSender } from './images';
import type { Manifest } from './manifest';
import { planRegistration } from './plan';
import { registerPush, type DeploymentResult } from './register';

export interface RegistrarDeps {
  readonly prefect: PrefectClient;
  readonly ecr: EcrSender;
  readonly manifest: { get(): Promise<Manifest> };
  readonly log: Logger;
  readonly defaultWorkPool: string;
}

export type RegistrarResult = { readonly ignored: string } | { readonly deployments: DeploymentResult[] };

export function createRegistrarHandler(deps: RegistrarDeps) {
  return async (event: unknown): Promise<RegistrarResult> => {
    const parsed = parseOrDrop(parseImageAction, event, deps.log);
    if (!parsed.ok) return { ignored: parsed.reason };
    const action = parsed.value;
    const ignore = (reason: string) => {
      deps.log.info('ignored push', { reason, repository: action.repository, tag: action.tag, digest: action.digest });
      return { ignored: reason };
    };
    if (action.actionType !== 'PUSH' || action.result !== 'SUCCESS') return ignore(`${action.actionType || 'unknown action'} ${action.result || ''}`.trim());
    if (!action.tag) return ignore('untagged image');
    let manifest: Manifest;
    try {
      manifest = await deps.manifest.get();
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      deps.log.error('bad manifest: fix it; this push is not retried', { problems: error.problems, file: error.file });
      return { ignored: `bad manifest: ${error.message}` };
    }
    const pushed = { account: action.account, region: action.region, repository: action.repository, tag: action.tag, digest: action.digest };
    const plans = planRegistration(manifest, pushed, deps.defaultWorkPool);
    if (plans.length === 0) return ignore('no ecr_triggers entry matches this repository and tag');
    const deployments = await registerPush(deps, pushed, plans);
    for (const d of deployments) deps.log.info('deployment', { ...d, repository: action.repository, tag: action.tag });
    return { deployments };
  };
}
