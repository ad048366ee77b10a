/** Real image pushes to moto's ECR (real digests) and the EventBridge events they would cause. */
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { motoClientConfig, TEST_REGION, type MotoServer } from './motoServer';

export const ACCOUNT = '123456789012';

let layer = 0;

export async function createRepository(moto: MotoServer, name: string): Promise<void> {
  await new ECRClient(motoClientConfig(moto)).send(new CreateRepositoryCommand({ repositoryName: name }));
}

/** Pushes a new image (a distinct manifest) under the tag; returns its digest. */
export async function pushImage(moto: MotoServer, repository: string, tag: string): Promise<string> {
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: `sha256:${'c'.repeat(64)}` },
    // moto derives the image digest from the layer digests: a new layer per push, a new image.
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1024, digest: `sha256:${String(++layer).padStart(64, '0')}` }],
  });
  const answer = await new ECRClient(motoClientConfig(moto)).send(new PutImageCommand({ repositoryName: repository, imageManifest: manifest, imageTag: tag }));
  return answer.image!.imageId!.imageDigest!;
}

export function imageActionEvent(repository: string, tag: string | undefined, digest: string | undefined, overrides: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: `evt-${Math.random().toString(16).slice(2)}`,
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: ACCOUNT,
    time: new Date().toISOString(),
    region: TEST_REGION,
    resources: [],
    detail: {
      result: 'SUCCESS',
      'repository-name': repository,
      'image-digest': digest,
      'action-type': 'PUSH',
      'image-tag': tag,
      ...overrides,
    },
  };
}
