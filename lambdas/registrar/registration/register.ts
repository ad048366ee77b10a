/**
 * Registers deployments at an image: for each, read it from Prefect, build what the manifest asks
 * for (templating.ts, desired.ts), let decide.ts choose, and write it with `POST /deployments/`,
 * the upsert every Prefect since 2.16 has. Each deployment gets its own outcome (failures.ts): a
 * permanent failure (400/413/422, a block that does not exist, a work pool the workers do not
 * poll) is reported with Prefect's message and does not stop the others; a transient one is
 * reported and makes the event fail after all were tried, so it is retried and then dead-lettered.
 * Once Prefect fails as a whole (unreachable, 5xx, 429, 401/403, 404) or the invocation's time is
 * nearly up, the deployments after it are marked `retrying` without a call. No message carries a
 * value read from a Prefect block.
 */
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import { expectData, type PrefectClient } from '../../common/prefect/client';
import { stringsWithPaths, type JsonObject } from '../manifest/placeholders';
import { RegistrationIncompleteError, TemplateError } from '../errors';
import { changedFields } from './compare';
import { decideDeployment, deployedImage, otherDeployedDigest, supersededReason } from './decide';
import { desiredBody, type ExistingDeployment } from './desired';
import { classify, withoutSecrets } from './failures';
import { digestOfTag, imageDetails, type EcrApi } from './images';
import type { PlannedDeployment, PushedImage } from './plan';
import { prefectValues, readDeployment } from './prefectReads';
import { applyValues, imageStepOutputs, resolvePrefectValues, type PrefectValues } from './templating';

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
  /** Drops the cached Prefect credential, after a 401/403. @default nothing to drop */
  readonly credential?: { invalidate(): void };
}

/** One deployment to register; `run` adds every value it reads from a Prefect block to `secrets`. */
export interface Attempt {
  readonly deployment: string;
  readonly image: string;
  run(secrets: Set<string>): Promise<DeploymentResult>;
}

/** Block reads that remember the values they return, so no message can carry one. */
function remembering(values: PrefectValues, secrets: Set<string>): PrefectValues {
  return {
    ...values,
    async block(slug, name) {
      const data = await values.block(slug, name);
      for (const [, text] of stringsWithPaths(data)) secrets.add(text);
      return data;
    },
  };
}

/** The manifest entry and pull steps with every placeholder the registrar resolves, resolved. */
async function templated(deps: RegisterDeps, plan: PlannedDeployment, secrets: Set<string>): Promise<{ entry: JsonObject; pull: JsonObject[] }> {
  const outputs = imageStepOutputs(plan.deployment.imageSteps, plan.pushed);
  const resolved = await resolvePrefectValues(plan.deployment.entry, remembering(prefectValues(deps.prefect), secrets));
  // _core.py:L312-L317: step outputs, unresolved ones removed, {{ ctx.* }} kept for the worker.
  const entry = applyValues(resolved, outputs, { skipPrefixes: ['ctx.'] }) as JsonObject;
  // _core.py:L360: pull steps get the step outputs only; everything else waits for run time.
  const pull = applyValues([...plan.deployment.pullSteps], outputs, { removeNotSet: false }) as JsonObject[];
  return { entry, pull };
}

/** A deployment naming another pool than the stack's workers poll: its runs would never start. */
export function poolProblem(workPool: string | undefined, stackPool: string): TemplateError | undefined {
  if (workPool === undefined || workPool === stackPool) return undefined;
  return new TemplateError(`work_pool.name is "${workPool}", but the stack's workers poll "${stackPool}" (its WorkPoolName): its runs would never start; use "${stackPool}" or leave work_pool.name out`);
}

/** Registers one deployment; `known` is the deployment as already read from Prefect, when it was. */
export async function registerOne(deps: RegisterDeps, plan: PlannedDeployment, secrets: Set<string>, known?: { readonly existing: ExistingDeployment | undefined }): Promise<DeploymentResult> {
  const label = `${plan.flow}/${plan.name}`;
  const wrongPool = poolProblem(plan.deployment.workPool, deps.workPool);
  if (wrongPool) throw wrongPool;
  const existing = known ? known.existing : await readDeployment(deps.prefect, plan.flow, plan.name);
  const other = otherDeployedDigest(deployedImage(existing), plan);
  const images = other ? await imageDetails(deps.ecr, plan.pushed.repository, [other, plan.pushed.digest]) : undefined;
  const { entry, pull } = await templated(deps, plan, secrets);
  const body = desiredBody(plan, entry, pull, String(existing?.flow_id ?? ''), deps.workPool, existing);
  const decision = decideDeployment(existing !== undefined, other, plan, existing ? changedFields(body, existing) : [], images);
  if (!decision.write) return { deployment: label, id: existing?.id, image: plan.image, outcome: decision.outcome, reason: decision.reason };
  const flow = await expectData('/flows/', () => deps.prefect.POST('/flows/', { body: { name: plan.flow } }));
  const saved = await expectData('/deployments/', () => deps.prefect.POST('/deployments/', { body: { ...body, flow_id: flow.id } }));
  return { deployment: label, id: (saved as ExistingDeployment).id, image: plan.image, outcome: decision.outcome, reason: decision.reason };
}

/**
 * Every attempt, in order, each with its own outcome. After a failure of Prefect as a whole the
 * rest are `retrying` without a call ("not tried: ..."): a hanging server would otherwise cost
 * every deployment a call's deadline and hold the function's one concurrency slot.
 */
export async function registerEach(deps: RegisterDeps, attempts: readonly Attempt[]): Promise<DeploymentResult[]> {
  const results: DeploymentResult[] = [];
  let halted: string | undefined;
  for (const attempt of attempts) {
    if (halted) {
      results.push({ deployment: attempt.deployment, image: attempt.image, outcome: 'retrying', reason: `not tried: ${halted}` });
      continue;
    }
    const secrets = new Set<string>();
    try {
      results.push(await attempt.run(secrets));
    } catch (error) {
      const kind = classify(error);
      if (kind.staleCredential) deps.credential?.invalidate();
      const reason = withoutSecrets(errorMessage(error), secrets);
      if (kind.halts) halted = reason;
      results.push({ deployment: attempt.deployment, image: attempt.image, outcome: kind.outcome, reason });
    }
  }
  return results;
}

/**
 * A push: registers nothing when its tag has moved on (that later push registers itself). ECR is
 * asked once; its failure is each deployment's outcome, logged like any other.
 */
export async function registerPush(deps: RegisterDeps, pushed: PushedImage, plans: readonly PlannedDeployment[]): Promise<DeploymentResult[]> {
  let superseded: Promise<string | undefined> | undefined;
  const supersededNow = () => (superseded ??= digestOfTag(deps.ecr, pushed.repository, pushed.tag).then((digest) => supersededReason(pushed, digest)));
  return registerEach(
    deps,
    plans.map((plan) => ({
      deployment: `${plan.flow}/${plan.name}`,
      image: plan.image,
      async run(secrets) {
        const reason = await supersededNow();
        if (reason) return { deployment: `${plan.flow}/${plan.name}`, image: plan.image, outcome: 'skipped', reason };
        return registerOne(deps, plan, secrets);
      },
    })),
  );
}

/** Logs one line per deployment; throws when any outcome may pass on a retry, unless `retried` is false (the periodic reconcile). */
export function settle(log: Logger, results: readonly DeploymentResult[], context: Record<string, unknown>, retried = true): void {
  for (const r of results) {
    const line = { ...r, ...context };
    if (r.outcome === 'failed') log.error('deployment not registered: fix the manifest or Prefect; not retried', line);
    else if (r.outcome === 'retrying') log.warn(retried ? 'deployment not registered yet: the event is retried' : 'deployment not registered yet: the next reconcile tries again', line);
    else log.info('deployment', line);
  }
  if (retried && results.some((r) => r.outcome === 'retrying')) throw new RegistrationIncompleteError(results);
}
