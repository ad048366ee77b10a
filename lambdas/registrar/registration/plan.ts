/**
 * Which deployments an image registers: pure, from the manifest and the image. Shared by the
 * Lambda and by `npm run preview-registration`.
 */
import { defaultUrlSuffix } from '../../common/aws/awsJson';
import { tagMatches, type Manifest, type ManifestDeployment } from '../manifest/check';

export interface PushedImage {
  readonly account: string;
  readonly region: string;
  readonly repository: string;
  readonly tag: string;
  /** sha256:<64 hex> */
  readonly digest: string;
  /** The partition's domain (the stack's AWS::URLSuffix). @default amazonaws.com, or amazonaws.com.cn in a cn- region */
  readonly urlSuffix?: string;
}

/** One deployment to register at one image. */
export interface PlannedDeployment {
  readonly flow: string;
  readonly name: string;
  readonly image: string;
  readonly pushed: PushedImage;
  readonly deployment: ManifestDeployment;
}

export const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The registry of an account and region (https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html). */
export const registryDomain = (account: string, region: string, urlSuffix = defaultUrlSuffix(region)) => `${account}.dkr.ecr.${region}.${urlSuffix}`;

export const imageName = (p: PushedImage) => `${registryDomain(p.account, p.region, p.urlSuffix)}/${p.repository}`;
export const imageReference = (p: PushedImage) => `${imageName(p)}@${p.digest}`;

/** The default version, "<tag>-<first 12 hex of the digest>": readable, and unique per image. */
export const versionOf = (p: PushedImage) => `${p.tag}-${p.digest.slice('sha256:'.length, 'sha256:'.length + 12)}`;

export const planned = (deployment: ManifestDeployment, pushed: PushedImage): PlannedDeployment => ({
  flow: deployment.flowName,
  name: deployment.name,
  image: imageReference(pushed),
  pushed,
  deployment,
});

/** Whether a push of this tag to this repository registers the deployment. */
export const registersOn = (d: ManifestDeployment, repository: string, tag: string) => d.repository === repository && d.tagPatterns.some((p) => tagMatches(p, tag));

/** The deployments a push of `repository:tag` maps to (empty when none does), in manifest order. */
export function planRegistration(manifest: Manifest, pushed: PushedImage): PlannedDeployment[] {
  return manifest.deployments.filter((d) => registersOn(d, pushed.repository, pushed.tag)).map((d) => planned(d, pushed));
}
