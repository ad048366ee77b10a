/**
 * What an image does to each deployment it maps to, from what ECR and Prefect say now: pure, so
 * every case is a table row. register.ts asks ECR and Prefect and carries the answer out.
 * Convergent: a duplicate event changes nothing, a superseded or older image never replaces a
 * newer one, and any difference between the manifest and the deployment is written.
 */
import { tagMatches } from '../manifest/check';
import type { KnownImage } from './images';
import type { PlannedDeployment, PushedImage } from './plan';

export type DeploymentDecision =
  | { readonly write: false; readonly outcome: 'unchanged' | 'skipped'; readonly reason: string }
  | { readonly write: true; readonly outcome: 'created' | 'updated'; readonly reason?: string };

/** Why a push registers nothing: its tag points elsewhere now (that push registers itself) or is gone. */
export function supersededReason(pushed: PushedImage, currentDigest: string | undefined): string | undefined {
  if (currentDigest === pushed.digest) return undefined;
  return currentDigest ? `superseded: ${pushed.repository}:${pushed.tag} now points at ${currentDigest}` : `${pushed.repository}:${pushed.tag} no longer exists`;
}

/** The image a deployment runs, from its job variables. */
export function deployedImage(existing: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const variables = (existing?.job_variables ?? existing?.infra_overrides) as Record<string, unknown> | undefined;
  return typeof variables?.image === 'string' ? variables.image : undefined;
}

/** The digest of another image of the same repository the deployment runs: then push times decide. */
export function otherDeployedDigest(image: string | undefined, plan: PlannedDeployment): string | undefined {
  const repositoryRef = plan.image.slice(0, plan.image.indexOf('@'));
  const deployed = image?.startsWith(`${repositoryRef}@`) ? image.slice(repositoryRef.length + 1) : undefined;
  return deployed && deployed !== plan.pushed.digest ? deployed : undefined;
}

/**
 * Created when missing; skipped when it runs another image of the repository that still carries
 * one of the deployment's tags and was pushed later (`images` from ECR, needed only when
 * `otherDeployedDigest` names one: an image ECR no longer has, or whose matching tags moved
 * away, never blocks the write, so moving a tag back is a rollback); unchanged when no field
 * differs; updated otherwise.
 */
export function decideDeployment(
  exists: boolean,
  other: string | undefined,
  plan: PlannedDeployment,
  changed: readonly string[],
  images: ReadonlyMap<string, KnownImage> = new Map(),
): DeploymentDecision {
  if (!exists) return { write: true, outcome: 'created' };
  const deployed = other ? images.get(other) : undefined;
  const current = deployed?.tags.some((tag) => plan.deployment.tagPatterns.some((pattern) => tagMatches(pattern, tag)));
  if (deployed && current && deployed.pushedAt > (images.get(plan.pushed.digest)?.pushedAt ?? Infinity)) {
    return { write: false, outcome: 'skipped', reason: `a newer image is deployed (${other})` };
  }
  if (changed.length === 0) return { write: false, outcome: 'unchanged', reason: 'already as the manifest says, at this image' };
  return { write: true, outcome: 'updated', reason: `changed: ${changed.join(', ')}` };
}
