/**
 * What a push does to each deployment it maps to, from what ECR and Prefect say now: pure, so
 * every case is a table row. register.ts asks ECR and Prefect and carries the answer out.
 * Convergent: a duplicate event changes nothing, a superseded or older image never replaces a
 * newer one.
 */
import type { PlannedDeployment, PushedImage } from './plan';

/** A deployment as Prefect has it now. */
export interface DeployedState {
  readonly id: string;
  readonly version?: string | null;
  readonly paused?: boolean;
  /** The image its job variables name, when it names one. */
  readonly image?: string;
}

export type DeploymentDecision =
  | { readonly write: false; readonly outcome: 'unchanged' | 'skipped'; readonly reason: string; readonly id: string }
  | { readonly write: true; readonly outcome: 'created' | 'updated' };

/** Why a push registers nothing: its tag points elsewhere now (that push registers itself) or is gone. */
export function supersededReason(pushed: PushedImage, currentDigest: string | undefined): string | undefined {
  if (currentDigest === pushed.digest) return undefined;
  return currentDigest ? `superseded: ${pushed.repository}:${pushed.tag} now points at ${currentDigest}` : `${pushed.repository}:${pushed.tag} no longer exists`;
}

/** The digest of another image of the same repository the deployment runs: then push times decide. */
export function otherDeployedDigest(existing: DeployedState | undefined, plan: PlannedDeployment, pushedDigest: string): string | undefined {
  const repositoryRef = plan.image.slice(0, plan.image.indexOf('@'));
  const deployed = existing?.image?.startsWith(`${repositoryRef}@`) ? existing.image.slice(repositoryRef.length + 1) : undefined;
  return deployed && deployed !== pushedDigest ? deployed : undefined;
}

/**
 * Unchanged when it already runs this image at this version; skipped when it runs an image of
 * the repository pushed later; otherwise written. `pushTimes` holds when each digest was pushed
 * (ECR), needed only when `otherDeployedDigest` names one; a push time ECR cannot give never
 * blocks the write.
 */
export function decideDeployment(
  existing: DeployedState | undefined,
  plan: PlannedDeployment,
  pushedDigest: string,
  pushTimes: ReadonlyMap<string, number> = new Map(),
): DeploymentDecision {
  if (existing?.image === plan.image && existing.version === plan.version) {
    return { write: false, outcome: 'unchanged', reason: 'already at this image', id: existing.id };
  }
  const deployed = otherDeployedDigest(existing, plan, pushedDigest);
  if (existing && deployed && (pushTimes.get(deployed) ?? 0) > (pushTimes.get(pushedDigest) ?? Infinity)) {
    return { write: false, outcome: 'skipped', reason: `a newer image is deployed (${deployed})`, id: existing.id };
  }
  return { write: true, outcome: existing ? 'updated' : 'created' };
}
