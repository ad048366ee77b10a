/**
 * What a parameter value must look like, shared by the parameters' AllowedPattern and the
 * synth-time options that become their defaults.
 */

/** Prefect Cloud (`…/api/accounts/<id>/workspaces/<id>`) or a self-hosted server (`…/api`). */
export const PREFECT_API_URL_PATTERN =
  '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*/api(/accounts/[0-9a-fA-F-]{36}/workspaces/[0-9a-fA-F-]{36})?$';
export const SECRET_ARN_PATTERN = '^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+)?$';

/**
 * prefect-aws 0.7.7 names the task-definition family of a flow run `prefect_<work pool>_<id>`,
 * the id being the deployment's (or the flow's) UUID, and registers it as it is: its slugify
 * call discards the result
 * (prefect-aws-0.7.7:src/integrations/prefect-aws/prefect_aws/workers/ecs_worker.py:109,1128-1146).
 * An ECS family has "Up to 255 letters (uppercase and lowercase), numbers, underscores, and
 * hyphens" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html),
 * so the work pool name may hold only those, and at most this many of them.
 */
export const ECS_FAMILY = { maxLength: 255, prefix: 'prefect_', separator: '_', idLength: 36, characters: 'A-Za-z0-9_-' } as const;
export const WORK_POOL_NAME_MAX_LENGTH = ECS_FAMILY.maxLength - ECS_FAMILY.prefix.length - ECS_FAMILY.separator.length - ECS_FAMILY.idLength;
/**
 * A work pool name whose flow runs ECS can register (above); Prefect accepts it (it refuses only
 * "/", "%", "&", ">" and "<", 3.6.28:src/prefect/types/names.py), and it is safe in a URL path. It
 * starts with a letter or digit, so it never reads as a flag in a shell word.
 */
export const WORK_POOL_NAME_PATTERN = `^[A-Za-z0-9][${ECS_FAMILY.characters}]{0,${WORK_POOL_NAME_MAX_LENGTH - 1}}$`;
export const WORK_POOL_NAME_RULE = `1-${WORK_POOL_NAME_MAX_LENGTH} letters, digits, "_" or "-", starting with a letter or digit (ECS task-definition families allow no other character)`;
/** An image reference with an explicit tag other than `latest`, or a digest. */
export const PINNED_IMAGE_PATTERN = '^[a-z0-9][^\\s:@]*(:(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$';

/**
 * Optional lists are String parameters with a whole-value pattern, which (unlike a
 * CommaDelimitedList's per-member pattern) can bound the number of members. Members are
 * comma-separated without spaces; an empty value is an empty list.
 */
const listOf = (member: string, maxMembers: number, minMembers = 1) => `^(${member}(,${member}){${minMembers - 1},${maxMembers - 1}})?$`;
export const ECR_REPOSITORY_NAME = '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*';
export const ecrRepositoryListPattern = (maxMembers: number) => listOf(ECR_REPOSITORY_NAME, maxMembers);
/** IAM allows 10 managed policies per role by default, 20 with a raised quota. */
export const MANAGED_POLICY_ARNS_PATTERN = listOf('arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/[A-Za-z0-9+=.@_/-]+', 20);
/** Two or more subnets (in different zones), at most 16. */
export const SUBNET_IDS_PATTERN = listOf('subnet-[0-9a-f]{8,17}', 16, 2);
/** 1 to 100 without a leading zero (a Rule compares the text). */
export const ONE_TO_HUNDRED_PATTERN = '^([1-9][0-9]?|100)$';
