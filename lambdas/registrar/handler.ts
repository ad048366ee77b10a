/**
 * The registrar's handler: parse the event, read the manifest, plan, register, and log one line
 * per deployment. An image push registers the deployments its tag maps to; a change of the
 * manifest parameter registers every deployment at its current image. A malformed or foreign
 * event and a bad manifest are logged and dropped; a deployment Prefect refuses for good is
 * logged and the others go on; anything that may pass is retried (then dead-lettered).
 */
import { parseOrDrop } from '../common/events';
import type { Logger } from '../common/log';
import type { PrefectClient } from '../common/prefect/client';
import { ManifestError } from './errors';
import { parseRegistrarEvent, type ImageAction, type ManifestChange } from './event';
import type { Manifest } from './manifest/check';
import { planCurrentImages } from './registration/current';
import { deployedImage } from './registration/decide';
import type { EcrApi } from './registration/images';
import { planRegistration } from './registration/plan';
import { readDeployment } from './registration/prefectReads';
import { registerPlans, registerPush, settle, type DeploymentResult } from './registration/register';

export interface RegistrarDeps {
  readonly prefect: PrefectClient;
  readonly ecr: EcrApi;
  readonly manifest: { readonly parameterName: string; get(): Promise<Manifest>; invalidate(): void };
  readonly log: Logger;
  /** The work pool the stack's workers poll; deployments without work_pool.name go there. */
  readonly workPool: string;
}

export type RegistrarResult = { readonly ignored: string } | { readonly deployments: DeploymentResult[] };

export function createRegistrarHandler(deps: RegistrarDeps) {
  const ignore = (reason: string, context: Record<string, unknown>) => {
    deps.log.info('ignored event', { reason, ...context });
    return { ignored: reason };
  };

  async function readManifest(): Promise<Manifest | string> {
    try {
      return await deps.manifest.get();
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      deps.log.error('bad manifest: fix it; this event is not retried', { problems: error.problems, file: error.file });
      return `bad manifest: ${error.message}`;
    }
  }

  async function onPush(action: ImageAction): Promise<RegistrarResult> {
    const context = { repository: action.repository, tag: action.tag, digest: action.digest };
    if (action.actionType !== 'PUSH' || action.result !== 'SUCCESS') return ignore(`${action.actionType || 'unknown action'} ${action.result || ''}`.trim(), context);
    if (!action.tag) return ignore('untagged image', context);
    const manifest = await readManifest();
    if (typeof manifest === 'string') return { ignored: manifest };
    const pushed = { account: action.account, region: action.region, repository: action.repository, tag: action.tag, digest: action.digest };
    const plans = planRegistration(manifest, pushed);
    if (plans.length === 0) return ignore('no ecr_triggers entry matches this repository and tag', context);
    const deployments = await registerPush(deps, pushed, plans);
    settle(deps.log, deployments, { repository: action.repository, tag: action.tag });
    return { deployments };
  }

  async function onManifestChange(change: ManifestChange): Promise<RegistrarResult> {
    const context = { parameter: change.name, operation: change.operation };
    // Compared without a leading slash, however the event writes a hierarchical name.
    if (change.name.replace(/^\//, '') !== deps.manifest.parameterName.replace(/^\//, '')) return ignore('not the manifest parameter', context);
    if (change.operation !== 'Create' && change.operation !== 'Update') return ignore(`${change.operation} leaves the deployments as they are`, context);
    deps.manifest.invalidate();
    const manifest = await readManifest();
    if (typeof manifest === 'string') return { ignored: manifest };
    const items = await planCurrentImages(deps.ecr, manifest, change, async (d) => {
      const existing = await readDeployment(deps.prefect, d.flowName, d.name);
      return { version: existing?.version, image: deployedImage(existing) };
    });
    const deployments: DeploymentResult[] = [];
    for (const item of items) deployments.push(...('outcome' in item ? [item] : await registerPlans(deps, [item])));
    settle(deps.log, deployments, { trigger: 'manifest change', parameter: change.name });
    return { deployments };
  }

  return async (event: unknown): Promise<RegistrarResult> => {
    const parsed = parseOrDrop(parseRegistrarEvent, event, deps.log);
    if (!parsed.ok) return { ignored: parsed.reason };
    return parsed.value.kind === 'image' ? onPush(parsed.value) : onManifestChange(parsed.value);
  };
}
