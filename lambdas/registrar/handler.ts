/**
 * The registrar's handler: parse the event, read the manifest, plan, register, and log one line
 * per deployment. An image push registers the deployments its tag maps to; a change of the
 * manifest parameter, and the periodic reconcile, register every deployment at its current image
 * (which repairs pushes whose events were lost, expired or arrived before the stack's rule). A
 * malformed or foreign event and a bad manifest are logged and dropped (a bad manifest counted for
 * the alarm); a deployment that fails for good is logged, counted and the others go on; anything
 * that may pass makes a push or manifest event fail so Lambda retries it (then dead-letters it),
 * while the reconcile leaves it to its next run.
 */
import { parseOrDrop } from '../common/events';
import type { Logger } from '../common/log';
import type { PrefectClient } from '../common/prefect/client';
import { ManifestError } from './errors';
import { parseRegistrarEvent, type ImageAction, type ManifestChange, type Reconcile } from './event';
import type { Manifest } from './manifest/check';
import { outcomeCounts, type RegistrarMetrics } from './metrics';
import { currentImageAttempts } from './registration/current';
import type { EcrApi } from './registration/images';
import { planRegistration } from './registration/plan';
import { registerEach, registerPush, settle, type DeploymentResult } from './registration/register';
import { timeBudget, withinBudget, type InvocationClock } from './timeBudget';

export interface RegistrarDeps {
  readonly prefect: PrefectClient;
  readonly ecr: EcrApi;
  readonly manifest: { readonly parameterName: string; get(): Promise<Manifest>; invalidate(): void };
  readonly log: Logger;
  /** The work pool the stack's workers poll (WorkPoolName); deployments without work_pool.name go there. */
  readonly workPool: string;
  /** The repositories the stack watches; a manifest deployment of another fails. @default any */
  readonly watchedRepositories?: readonly string[];
  /** The partition's domain, AWS::URLSuffix. @default amazonaws.com (amazonaws.com.cn in China) */
  readonly urlSuffix?: string;
  /** Drops the cached Prefect credential (after 401/403). @default nothing cached */
  readonly credential?: { invalidate(): void };
  /** Writes the invocation's counts (metrics.ts). @default none */
  readonly metrics?: RegistrarMetrics;
  /**
   * No call starts with less than this left of the invocation: one call's whole deadline plus time
   * to log. @default 35000
   */
  readonly reserveMs?: number;
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
      deps.metrics?.({ ManifestInvalid: 1 });
      return `bad manifest: ${error.message}`;
    }
  }

  /** Logs and counts the outcomes; throws for a retry where the event is retried. */
  function finish(deployments: DeploymentResult[], context: Record<string, unknown>, retried: boolean): RegistrarResult {
    deps.metrics?.(outcomeCounts(deployments));
    settle(deps.log, deployments, context, retried);
    return { deployments };
  }

  async function onPush(run: RegistrarDeps, action: ImageAction): Promise<RegistrarResult> {
    const context = { repository: action.repository, tag: action.tag, digest: action.digest };
    if (action.actionType !== 'PUSH' || action.result !== 'SUCCESS') return ignore(`${action.actionType || 'unknown action'} ${action.result || ''}`.trim(), context);
    if (!action.tag) return ignore('untagged image', context);
    const manifest = await readManifest();
    if (typeof manifest === 'string') return { ignored: manifest };
    const pushed = { account: action.account, region: action.region, repository: action.repository, tag: action.tag, digest: action.digest, urlSuffix: deps.urlSuffix };
    const plans = planRegistration(manifest, pushed);
    if (plans.length === 0) return ignore('no ecr_triggers entry matches this repository and tag', context);
    return finish(await registerPush(run, pushed, plans), { repository: action.repository, tag: action.tag }, true);
  }

  async function onCurrentImages(run: RegistrarDeps, where: ManifestChange | Reconcile, context: Record<string, unknown>): Promise<RegistrarResult> {
    const manifest = await readManifest();
    if (typeof manifest === 'string') return { ignored: manifest };
    const attempts = currentImageAttempts(run, manifest, { account: where.account, region: where.region, urlSuffix: deps.urlSuffix });
    return finish(await registerEach(run, attempts), context, where.kind === 'manifest');
  }

  async function onManifestChange(run: RegistrarDeps, change: ManifestChange): Promise<RegistrarResult> {
    const context = { parameter: change.name, operation: change.operation };
    // Compared without a leading slash, however the event writes a hierarchical name.
    if (change.name.replace(/^\//, '') !== deps.manifest.parameterName.replace(/^\//, '')) return ignore('not the manifest parameter', context);
    if (change.operation !== 'Create' && change.operation !== 'Update') return ignore(`${change.operation} leaves the deployments as they are`, context);
    deps.manifest.invalidate();
    return onCurrentImages(run, change, { trigger: 'manifest change', parameter: change.name });
  }

  return async (event: unknown, context?: InvocationClock): Promise<RegistrarResult> => {
    const parsed = parseOrDrop(parseRegistrarEvent, event, deps.log);
    if (!parsed.ok) return { ignored: parsed.reason };
    const run: RegistrarDeps = { ...deps, ...withinBudget(deps, timeBudget(context, deps.reserveMs ?? 35_000)) };
    switch (parsed.value.kind) {
      case 'image':
        return onPush(run, parsed.value);
      case 'manifest':
        return onManifestChange(run, parsed.value);
      case 'reconcile':
        // Its own read of the parameter too: the edit's Parameter Store event may be the one that was lost.
        deps.manifest.invalidate();
        return onCurrentImages(run, parsed.value, { trigger: 'reconcile' });
    }
  };
}
