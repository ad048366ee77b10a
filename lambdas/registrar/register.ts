/**
 * Registers one push: checks it is still the newest image for its tag, then for each mapped
 * deployment ensures the flow and upserts the deployment pinned to the digest. Convergent: a
 * duplicate event changes nothing, a superseded or older image never replaces a newer one.
 */
import { PrefectApiError } from '../common/errors';
import type { Logger } from '../common/log';
import { expectData, type PrefectClient } from '../common/prefect/client';
import { deploymentBody } from './deploymentBody';
import { digestOfTag, pushTimes, type EcrSender } from './images';
import type { PlannedDeployment, PushedImage } from './plan';

export type Outcome = 'created' | 'updated' | 'unchanged' | 'skipped';

export interface DeploymentResult {
  readonly deployment: string;
  readonly id?: string;
  readonly image: string;
  readonly outcome: Outcome;
  readonly reason?: string;
}

interface ExistingDeployment {
  id: string;
  version?: string | null;
  paused?: boolean;
  image?: string;
}

async function readDeployment(prefect: PrefectClient, flow: string, name: string): Promise<ExistingDeployment | undefined> {
  try {
    const found = await expectData(`/deployments/name/${flow}/${name}`, () =>
      prefect.GET('/deployments/name/{flow_name}/{deployment_name}', { params: { path: { flow_name: flow, deployment_name: name } } }),
    );
    // Prefect 3 answers job_variables; Prefect 2 servers infra_overrides.
    const variables = ((found as { job_variables?: Record<string, unknown> }).job_variables ??
      (found as { infra_overrides?: Record<string, unknown> }).infra_overrides ??
      {}) as Record<string, unknown>;
    return { id: found.id, version: found.version, paused: found.paused, image: typeof variables.image === 'string' ? variables.image : undefined };
  } catch (error) {
    if (error instanceof PrefectApiError && error.status === 404) return undefined;
    throw error;
  }
}

const digestIn = (image: string | undefined, repositoryRef: string) =>
  image?.startsWith(`${repositoryRef}@`) ? image.slice(repositoryRef.length + 1) : undefined;

export async function registerPush(
  deps: { prefect: PrefectClient; ecr: EcrSender; log: Logger },
  pushed: PushedImage,
  plans: readonly PlannedDeployment[],
): Promise<DeploymentResult[]> {
  const skipAll = (reason: string) => plans.map((p) => ({ deployment: `${p.flow}/${p.name}`, image: p.image, outcome: 'skipped' as const, reason }));
  const current = await digestOfTag(deps.ecr, pushed.repository, pushed.tag);
  if (current !== pushed.digest) {
    return skipAll(current ? `superseded: ${pushed.repository}:${pushed.tag} now points at ${current}` : `${pushed.repository}:${pushed.tag} no longer exists`);
  }
  const results: DeploymentResult[] = [];
  for (const plan of plans) {
    const label = `${plan.flow}/${plan.name}`;
    const existing = await readDeployment(deps.prefect, plan.flow, plan.name);
    if (existing?.image === plan.image && existing.version === plan.version) {
      results.push({ deployment: label, id: existing.id, image: plan.image, outcome: 'unchanged', reason: 'already at this image' });
      continue;
    }
    const deployedDigest = digestIn(existing?.image, plan.image.slice(0, plan.image.indexOf('@')));
    if (deployedDigest && deployedDigest !== pushed.digest) {
      const times = await pushTimes(deps.ecr, pushed.repository, [deployedDigest, pushed.digest]);
      if ((times.get(deployedDigest) ?? 0) > (times.get(pushed.digest) ?? Infinity)) {
        results.push({ deployment: label, id: existing!.id, image: plan.image, outcome: 'skipped', reason: `a newer image is deployed (${deployedDigest})` });
        continue;
      }
    }
    const flow = await expectData('/flows/', () => deps.prefect.POST('/flows/', { body: { name: plan.flow } }));
    const saved = await expectData('/deployments/', () => deps.prefect.POST('/deployments/', { body: deploymentBody(plan, flow.id, existing?.paused) }));
    results.push({ deployment: label, id: saved.id, image: plan.image, outcome: existing ? 'updated' : 'created' });
  }
  return results;
}
