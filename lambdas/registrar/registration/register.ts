/**
 * Registers deployments at an image: for each, read it from Prefect, build what the manifest asks
 * for (templating.ts, desired.ts), let decide.ts choose, and write it with `POST /deployments/`,
 * the upsert every Prefect since 2.16 has. Each deployment gets its own outcome: a permanent
 * failure (a 4xx such as 422, a block that does not exist) is reported with Prefect's message and
 * does not stop the others; a transient one (unreachable, 5xx, 429, 401/403, AWS) is reported
 * and makes the event fail after all were tried, so it is retried and then dead-lettered.
 */
import { PrefectApiError, errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import { expectData, type PrefectClient } from '../../common/prefect/client';
import type { JsonObject } from '../manifest/placeholders';
import { RegistrationIncompleteError, TemplateError } from '../errors';
import { changedFields } from './compare';
import { decideDeployment, deployedImage, otherDeployedDigest, supersededReason } from './decide';
import { desiredBody, type ExistingDeployment } from './desired';
import { digestOfTag, pushTimes, type EcrApi } from './images';
import type { PlannedDeployment, PushedImage } from './plan';
import { prefectValues, readDeployment } from './prefectReads';
import { applyValues, imageStepOutputs, resolvePrefectValues } from './templating';

export type Outcome = 'created' | 'updated' | 'unchanged' | 'skipped' | 'failed' | 'retrying';

export interface DeploymentResult {
  readonly deployment: string;
  readonly id?: string;
  readonly image: string;
  readonly outcome: Outcome;
  readonly reason?: string;
}

export interface RegisterDeps {
  readonly prefect: PrefectClient;
  readonly ecr: EcrApi;
  readonly log: Logger;
  /** The pool the stack's workers poll. */
  readonly workPool: string;
}

/** 4xx answers that asking again later can fix: the credential, a timeout, throttling. */
const TRANSIENT_4XX = [401, 403, 408, 429];
const isPermanent = (error: unknown) =>
  error instanceof TemplateError || (error instanceof PrefectApiError && error.status >= 400 && error.status < 500 && !TRANSIENT_4XX.includes(error.status));

/** The manifest entry and pull steps with every placeholder the registrar resolves, resolved. */
async function templated(deps: RegisterDeps, plan: PlannedDeployment): Promise<{ entry: JsonObject; pull: JsonObject[] }> {
  const outputs = imageStepOutputs(plan.deployment.imageSteps, plan.pushed);
  const resolved = await resolvePrefectValues(plan.deployment.entry, prefectValues(deps.prefect));
  // _core.py:L312-L317: step outputs, unresolved ones removed, {{ ctx.* }} kept for the worker.
  const entry = applyValues(resolved, outputs, { skipPrefixes: ['ctx.'] }) as JsonObject;
  // _core.py:L360: pull steps get the step outputs only; everything else waits for run time.
  const pull = applyValues([...plan.deployment.pullSteps], outputs, { removeNotSet: false }) as JsonObject[];
  return { entry, pull };
}

async function registerOne(deps: RegisterDeps, plan: PlannedDeployment): Promise<DeploymentResult> {
  const label = `${plan.flow}/${plan.name}`;
  const existing = await readDeployment(deps.prefect, plan.flow, plan.name);
  const other = otherDeployedDigest(deployedImage(existing), plan);
  const times = other ? await pushTimes(deps.ecr, plan.pushed.repository, [other, plan.pushed.digest]) : undefined;
  const { entry, pull } = await templated(deps, plan);
  const body = desiredBody(plan, entry, pull, String(existing?.flow_id ?? ''), deps.workPool, existing);
  if (body.work_pool_name !== deps.workPool) {
    throw new TemplateError(`work_pool.name resolved to "${body.work_pool_name}", but the stack's workers poll "${deps.workPool}": its runs would never start`);
  }
  const decision = decideDeployment(existing !== undefined, other, plan, existing ? changedFields(body, existing) : [], times);
  if (!decision.write) return { deployment: label, id: existing?.id, image: plan.image, outcome: decision.outcome, reason: decision.reason };
  const flow = await expectData('/flows/', () => deps.prefect.POST('/flows/', { body: { name: plan.flow } }));
  const saved = await expectData('/deployments/', () => deps.prefect.POST('/deployments/', { body: { ...body, flow_id: flow.id } }));
  return { deployment: label, id: (saved as ExistingDeployment).id, image: plan.image, outcome: decision.outcome, reason: decision.reason };
}

/** Every plan, each with its own outcome; failures are caught per deployment. */
export async function registerPlans(deps: RegisterDeps, plans: readonly PlannedDeployment[]): Promise<DeploymentResult[]> {
  const results: DeploymentResult[] = [];
  for (const plan of plans) {
    try {
      results.push(await registerOne(deps, plan));
    } catch (error) {
      const outcome: Outcome = isPermanent(error) ? 'failed' : 'retrying';
      results.push({ deployment: `${plan.flow}/${plan.name}`, image: plan.image, outcome, reason: errorMessage(error) });
    }
  }
  return results;
}

/** A push: registers nothing when its tag has moved on (that later push registers itself). */
export async function registerPush(deps: RegisterDeps, pushed: PushedImage, plans: readonly PlannedDeployment[]): Promise<DeploymentResult[]> {
  const superseded = supersededReason(pushed, await digestOfTag(deps.ecr, pushed.repository, pushed.tag));
  if (superseded) return plans.map((plan) => ({ deployment: `${plan.flow}/${plan.name}`, image: plan.image, outcome: 'skipped', reason: superseded }));
  return registerPlans(deps, plans);
}

/** Logs one line per deployment; throws when any outcome may pass on a retry. */
export function settle(log: Logger, results: readonly DeploymentResult[], context: Record<string, unknown>): void {
  for (const r of results) {
    const line = { ...r, ...context };
    if (r.outcome === 'failed') log.error('deployment not registered: fix the manifest or Prefect; not retried', line);
    else if (r.outcome === 'retrying') log.warn('deployment not registered yet: the event is retried', line);
    else log.info('deployment', line);
  }
  if (results.some((r) => r.outcome === 'retrying')) throw new RegistrationIncompleteError(results);
}
