/** ECR lookups that keep registration convergent: where a tag points now, when images were pushed, the newest match. */
import { DescribeImagesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { tagMatches } from '../manifest/check';

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

export interface CurrentImage {
  readonly digest: string;
  /** Its tags that match the patterns, sorted. */
  readonly tags: readonly string[];
}

/**
 * The images a push would have registered last: those of the repository with a tag matching the
 * patterns that were pushed most recently (every page of DescribeImages, tagged images only).
 * Several when they share that push time (ECR gives seconds); empty when none matches or the
 * repository is gone.
 */
export async function newestMatchingImages(ecr: EcrSender, repository: string, patterns: readonly string[]): Promise<CurrentImage[]> {
  let newest: CurrentImage[] = [];
  let newestTime = -1;
  let nextToken: string | undefined;
  try {
    do {
      const page = await ecr.send(new DescribeImagesCommand({ repositoryName: repository, filter: { tagStatus: 'TAGGED' }, maxResults: 1000, nextToken }));
      for (const detail of page.imageDetails ?? []) {
        const tags = (detail.imageTags ?? []).filter((tag) => patterns.some((p) => tagMatches(p, tag))).sort();
        const time = detail.imagePushedAt ? new Date(detail.imagePushedAt).getTime() : 0;
        if (tags.length === 0 || !detail.imageDigest || time < newestTime) continue;
        if (time > newestTime) [newest, newestTime] = [[], time];
        newest.push({ digest: detail.imageDigest, tags });
      }
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  return newest.sort((a, b) => a.digest.localeCompare(b.digest));
}
