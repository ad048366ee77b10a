/**
 * Registers one push: asks ECR whether it is still the newest image for its tag, then for each
 * mapped deployment reads it from Prefect, lets decide.ts choose, and when it says so ensures
 * the flow and upserts the deployment pinned to the digest.
 */
import { PrefectApiError } from '../common/errors';
import type { Logger } from '../common/log';
import { expectData, type PrefectClient } from '../common/prefect/client';
import { decideDeployment, otherDeployedDigest, supersededReason, type DeployedState } from './decide';
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

async function readDeployment(prefect: PrefectClient, flow: string, name: string): Promise<DeployedState | undefined> {
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

export async function registerPush(
  deps: { prefect: PrefectClient; ecr: EcrSender; log: Logger },
  pushed: PushedImage,
  plans: readonly PlannedDeployment[],
): Promise<DeploymentResult[]> {
  const label = (plan: PlannedDeployment) => `${plan.flow}/${plan.name}`;
  const superseded = supersededReason(pushed, await digestOfTag(deps.ecr, pushed.repository, pushed.tag));
  if (superseded) return plans.map((plan) => ({ deployment: label(plan), image: plan.image, outcome: 'skipped', reason: superseded }));
  const results: DeploymentResult[] = [];
  for (const plan of plans) {
    const existing = await readDeployment(deps.prefect, plan.flow, plan.name);
    const other = otherDeployedDigest(existing, plan, pushed.digest);
    const times = other ? await pushTimes(deps.ecr, pushed.repository, [other, pushed.digest]) : undefined;
    const decision = decideDeployment(existing, plan, pushed.digest, times);
    if (!decision.write) {
      results.push({ deployment: label(plan), id: decision.id, image: plan.image, outcome: decision.outcome, reason: decision.reason });
      continue;
    }
    const flow = await expectData('/flows/', () => deps.prefect.POST('/flows/', { body: { name: plan.flow } }));
    const saved = await expectData('/deployments/', () => deps.prefect.POST('/deployments/', { body: deploymentBody(plan, flow.id, existing?.paused) }));
    results.push({ deployment: label(plan), id: saved.id, image: plan.image, outcome: decision.outcome });
  }
  return results;
}
