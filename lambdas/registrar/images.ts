/** ECR lookups that keep registration convergent: where a tag points now, and when images were pushed. */
import { DescribeImagesCommand, type ECRClient } from '@aws-sdk/client-ecr';

export type EcrSender = Pick<ECRClient, 'send'>;

const isNotFound = (error: unknown) => ['ImageNotFoundException', 'RepositoryNotFoundException'].includes((error as Error)?.name);

/** The digest the tag points at now; undefined when the tag (or repository) is gone. */
export async function digestOfTag(ecr: EcrSender, repository: string, tag: string): Promise<string | undefined> {
  try {
    const answer = await ecr.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }));
    return answer.imageDetails?.[0]?.imageDigest;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** When each digest was pushed; a digest ECR no longer has is left out. */
export async function pushTimes(ecr: EcrSender, repository: string, digests: readonly string[]): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const digest of digests) {
    try {
      const answer = await ecr.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }] }));
      const pushedAt = answer.imageDetails?.[0]?.imagePushedAt;
      if (pushedAt) times.set(digest, new Date(pushedAt).getTime());
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return times;
}
