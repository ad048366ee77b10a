/**
 * What a push registers: pure, from the manifest and the pushed image. Shared by the Lambda
 * and by `npm run preview-registration`.
 */
import { tagMatches, type Manifest, type ManifestDeployment, type PullStep } from './manifest';

export interface PushedImage {
  readonly account: string;
  readonly region: string;
  readonly repository: string;
  readonly tag: string;
  /** sha256:<64 hex> */
  readonly digest: string;
}

export interface PlannedDeployment {
  readonly flow: string;
  readonly name: string;
  readonly image: string;
  readonly version: string;
  readonly workPool: string;
  readonly workQueue: string | null;
  readonly jobVariables: Record<string, unknown>;
  readonly pullSteps: readonly PullStep[];
  readonly schedules: readonly Record<string, unknown>[];
  /** Everything else the manifest says about the deployment (sent in full: the server overwrites). */
  readonly spec: ManifestDeployment;
}

export const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The registry of an account and region, in that region's partition. */
export function registryDomain(account: string, region: string): string {
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${account}.dkr.ecr.${region}.${suffix}`;
}

export const imageReference = (p: PushedImage) => `${registryDomain(p.account, p.region)}/${p.repository}@${p.digest}`;

/** "<tag>-<first 12 hex of the digest>": readable, and unique per image. */
export const versionOf = (p: PushedImage) => `${p.tag}-${p.digest.slice('sha256:'.length, 'sha256:'.length + 12)}`;

/** The pushed image, pinned by digest, over the manifest's job variables (a placeholder or a tag alike). */
const withImage = (jobVariables: Record<string, unknown>, image: string): Record<string, unknown> => ({ ...jobVariables, image });

/** The deployments a push of `repository:tag` maps to (empty when none does), in manifest order. */
export function planRegistration(manifest: Manifest, pushed: PushedImage, defaultWorkPool: string): PlannedDeployment[] {
  const names = new Set<string>();
  for (const trigger of manifest.triggers) {
    if (trigger.repository !== pushed.repository || !trigger.tags.some((pattern) => tagMatches(pattern, pushed.tag))) continue;
    for (const name of trigger.deployments) names.add(name);
  }
  const image = imageReference(pushed);
  return manifest.deployments
    .filter((d) => names.has(d.name))
    .map((d) => ({
      flow: d.flowName,
      name: d.name,
      image,
      version: versionOf(pushed),
      workPool: d.workPool ?? defaultWorkPool,
      workQueue: d.workQueue ?? null,
      jobVariables: withImage(d.jobVariables, image),
      pullSteps: d.pullSteps,
      schedules: d.schedules,
      spec: d,
    }));
}
