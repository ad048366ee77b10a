/**
 * The manifest applied without a push (an edit of it, or the periodic reconcile): each deployment
 * is registered at the image a push would have registered last, the newest image of its
 * repository with a matching tag (images.ts). The rest is a push's path (register.ts), so the
 * same never-older and unchanged rules hold. Each deployment is one attempt with its own outcome:
 * a repository the stack does not watch, or ECR failing for one repository, fails only the
 * deployments of that repository.
 */
import type { Manifest, ManifestDeployment } from '../manifest/check';
import { RepositoryNotWatchedError } from '../errors';
import { deployedImage } from './decide';
import { newestMatchingImages, type CurrentImage } from './images';
import { imageName, planned, versionOf } from './plan';
import { readDeployment } from './prefectReads';
import { poolProblem, registerOne, type Attempt, type RegisterDeps } from './register';

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

export interface CurrentImageDeps extends RegisterDeps {
  /** The repositories the stack watches; a deployment of another fails. @default any repository */
  readonly watchedRepositories?: readonly string[];
}

/** One attempt per deployment of the manifest, in order, at its repository's newest matching image. */
export function currentImageAttempts(deps: CurrentImageDeps, manifest: Manifest, where: { account: string; region: string; urlSuffix?: string }): Attempt[] {
  const lookups = new Map<string, Promise<CurrentImage[]>>();
  const imagesOf = (d: ManifestDeployment) => {
    const key = `${d.repository} ${d.tagPatterns.join(' ')}`;
    if (!lookups.has(key)) {
      const lookup = newestMatchingImages(deps.ecr, d.repository, d.tagPatterns);
      lookup.catch(() => undefined); // each deployment of the repository awaits (and reports) it
      lookups.set(key, lookup);
    }
    return lookups.get(key)!;
  };
  return manifest.deployments.map((d) => {
    const deployment = `${d.flowName}/${d.name}`;
    return {
      deployment,
      image: '',
      async run(secrets) {
        const wrongPool = poolProblem(d.workPool, deps.workPool);
        if (wrongPool) throw wrongPool;
        if (deps.watchedRepositories && !deps.watchedRepositories.includes(d.repository)) throw new RepositoryNotWatchedError(d.repository, deps.watchedRepositories);
        const images = await imagesOf(d);
        if (images.length === 0) return { deployment, image: '', outcome: 'skipped', reason: `no image of ${d.repository} has a tag matching ${d.tagPatterns.join(', ')} yet` };
        const existing = await readDeployment(deps.prefect, d.flowName, d.name);
        const base = { ...where, repository: d.repository };
        const { digest, tag } = choose(images, { version: existing?.version, image: deployedImage(existing) }, imageName({ ...base, tag: '', digest: '' }));
        return registerOne(deps, planned(d, { ...base, tag, digest }), secrets, { existing });
      },
    };
  });
}
