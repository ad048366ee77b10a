/**
 * A manifest edit applied without a push: each deployment is registered at the image a push would
 * have registered last, the newest image of its repository with a matching tag (images.ts). The
 * rest is a push's path (register.ts), so the same never-older and unchanged rules hold.
 */
import type { Manifest, ManifestDeployment } from '../manifest/check';
import { newestMatchingImage, type CurrentImage, type EcrSender } from './images';
import { planned, versionOf, type PlannedDeployment } from './plan';
import type { DeploymentResult } from './register';

/**
 * The tag a current image stands for: the one the deployed version was made from, when it is
 * one of the image's matching tags (so an edit does not churn the version), else the first.
 */
export function tagFor(image: CurrentImage, deployedVersion: unknown): string {
  const fromVersion = image.tags.find((tag) => deployedVersion === tag || deployedVersion === versionOf({ account: '', region: '', repository: '', tag, digest: image.digest }));
  return fromVersion ?? image.tags[0]!;
}

export interface CurrentPlans {
  readonly plans: PlannedDeployment[];
  /** Deployments with no image to register yet. */
  readonly waiting: DeploymentResult[];
}

/** Plans every deployment of the manifest at its repository's newest matching image. */
export async function planCurrentImages(
  ecr: EcrSender,
  manifest: Manifest,
  where: { account: string; region: string },
  deployedVersion: (d: ManifestDeployment) => Promise<unknown>,
): Promise<CurrentPlans> {
  const plans: PlannedDeployment[] = [];
  const waiting: DeploymentResult[] = [];
  const found = new Map<string, Promise<CurrentImage | undefined>>();
  for (const d of manifest.deployments) {
    const key = `${d.repository} ${d.tagPatterns.join(' ')}`;
    if (!found.has(key)) found.set(key, newestMatchingImage(ecr, d.repository, d.tagPatterns));
    const image = await found.get(key)!;
    if (!image) {
      waiting.push({ deployment: `${d.flowName}/${d.name}`, image: '', outcome: 'skipped', reason: `no image of ${d.repository} has a tag matching ${d.tagPatterns.join(', ')} yet` });
      continue;
    }
    const tag = tagFor(image, await deployedVersion(d));
    plans.push(planned(d, { ...where, repository: d.repository, tag, digest: image.digest }));
  }
  return { plans, waiting };
}
