/**
 * ECR lookups that keep registration convergent: where a tag points now, when images were pushed,
 * the newest match. One operation, DescribeImages
 * (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html).
 *
 * `imagePushedAt` is "the date and time ... at which the current image was pushed to the
 * repository" (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ImageDetail.html):
 * the image's first push. Tagging an image already in the repository again (`aws ecr put-image`,
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-retag.html) keeps it, which is why
 * ECR's lifecycle policies age re-tagged images by their original push (aws/containers-roadmap
 * #2746). So "newest" here is the newest build, and a rollback moves the tag rather than adding one
 * (README "Convergence").
 */
import { awsJsonCall, ECR, type AwsJsonOptions } from '../../common/aws/awsJson';
import { tagMatches } from '../manifest/check';

export interface ImageDetail {
  readonly imageDigest?: string;
  readonly imageTags?: string[];
  /** Epoch seconds in the JSON protocol (a Date from an SDK client). */
  readonly imagePushedAt?: number | string | Date;
}

export interface DescribeImagesInput {
  readonly repositoryName: string;
  readonly imageIds?: { imageTag?: string; imageDigest?: string }[];
  readonly filter?: { tagStatus: 'TAGGED' | 'UNTAGGED' | 'ANY' };
  readonly maxResults?: number;
  readonly nextToken?: string;
}

/** The one ECR call the registrar makes; errors are named after ECR's codes. */
export interface EcrApi {
  describeImages(input: DescribeImagesInput): Promise<{ imageDetails?: ImageDetail[]; nextToken?: string }>;
}

export const jsonEcr = (options: AwsJsonOptions): EcrApi => ({
  describeImages: (input) => awsJsonCall(ECR, 'DescribeImages', input, options) as Promise<{ imageDetails?: ImageDetail[]; nextToken?: string }>,
});

const isNotFound = (error: unknown) => ['ImageNotFoundException', 'RepositoryNotFoundException'].includes((error as Error)?.name);
const pushedMillis = (at: ImageDetail['imagePushedAt']) => (at === undefined ? 0 : typeof at === 'number' ? at * 1000 : new Date(at).getTime());

/** The digest the tag points at now; undefined when the tag (or repository) is gone. */
export async function digestOfTag(ecr: EcrApi, repository: string, tag: string): Promise<string | undefined> {
  try {
    const answer = await ecr.describeImages({ repositoryName: repository, imageIds: [{ imageTag: tag }] });
    return answer.imageDetails?.[0]?.imageDigest;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** What ECR says of an image the registrar compares with: when it was first pushed, and its tags now. */
export interface KnownImage {
  readonly pushedAt: number;
  readonly tags: readonly string[];
}

/** Each digest's push time and tags; a digest ECR no longer has is left out. */
export async function imageDetails(ecr: EcrApi, repository: string, digests: readonly string[]): Promise<Map<string, KnownImage>> {
  const known = new Map<string, KnownImage>();
  for (const digest of digests) {
    try {
      const detail = (await ecr.describeImages({ repositoryName: repository, imageIds: [{ imageDigest: digest }] })).imageDetails?.[0];
      if (detail?.imagePushedAt !== undefined) known.set(digest, { pushedAt: pushedMillis(detail.imagePushedAt), tags: detail.imageTags ?? [] });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return known;
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
export async function newestMatchingImages(ecr: EcrApi, repository: string, patterns: readonly string[]): Promise<CurrentImage[]> {
  let newest: CurrentImage[] = [];
  let newestTime = -1;
  let nextToken: string | undefined;
  try {
    do {
      const page = await ecr.describeImages({ repositoryName: repository, filter: { tagStatus: 'TAGGED' }, maxResults: 1000, nextToken });
      for (const detail of page.imageDetails ?? []) {
        const tags = (detail.imageTags ?? []).filter((tag) => patterns.some((p) => tagMatches(p, tag))).sort();
        const time = pushedMillis(detail.imagePushedAt);
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
