/**
 * A manifest edit applied without a push: each deployment is registered at the image a push would
 * have registered last, the newest image of its repository with a matching tag (images.ts). The
 * rest is a push's path (register.ts), so the same never-older and unchanged rules hold.
 */
import type { Manifest, ManifestDeployment } from '../manifest/check';
import { newestMatchingImages, type CurrentImage, type EcrApi } from './images';
import { imageName, planned, versionOf, type PlannedDeployment } from './plan';
import type { DeploymentResult } from './register';

/** What the deployment runs now, as far as choosing among equally new images needs. */
export interface Deployed {
  readonly version?: unknown;
  readonly image?: string;
}

/**
 * Among equally new images the one the deployment runs (no churn); then the tag its version was
 * made from, when that is one of the image's matching tags, else the first.
 */
export function choose(images: readonly CurrentImage[], deployed: Deployed, repositoryImage: string): { digest: string; tag: string } {
  const image = images.find((i) => deployed.image === `${repositoryImage}@${i.digest}`) ?? images[0]!;
  const fromVersion = image.tags.find((tag) => deployed.version === tag || deployed.version === versionOf({ account: '', region: '', repository: '', tag, digest: image.digest }));
  return { digest: image.digest, tag: fromVersion ?? image.tags[0]! };
}

/** Every deployment of the manifest, in order: planned at its repository's newest matching image, or waiting for one. */
export async function planCurrentImages(
  ecr: EcrApi,
  manifest: Manifest,
  where: { account: string; region: string },
  deployed: (d: ManifestDeployment) => Promise<Deployed>,
): Promise<(PlannedDeployment | DeploymentResult)[]> {
  const found = new Map<string, Promise<CurrentImage[]>>();
  const items: (PlannedDeployment | DeploymentResult)[] = [];
  for (const d of manifest.deployments) {
    const key = `${d.repository} ${d.tagPatterns.join(' ')}`;
    if (!found.has(key)) found.set(key, newestMatchingImages(ecr, d.repository, d.tagPatterns));
    const images = await found.get(key)!;
    if (images.length === 0) {
      items.push({ deployment: `${d.flowName}/${d.name}`, image: '', outcome: 'skipped', reason: `no image of ${d.repository} has a tag matching ${d.tagPatterns.join(', ')} yet` });
      continue;
    }
    const base = { ...where, repository: d.repository };
    const { digest, tag } = choose(images, await deployed(d), imageName({ ...base, tag: '', digest: '' }));
    items.push(planned(d, { ...base, tag, digest }));
  }
  return items;
}
