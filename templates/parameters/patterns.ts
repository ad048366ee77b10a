/**
 * What a parameter value must look like, shared by the parameters' AllowedPattern and the
 * synth-time options that become their defaults.
 */

/** Prefect Cloud (`…/api/accounts/<id>/workspaces/<id>`) or a self-hosted server (`…/api`). */
export const PREFECT_API_URL_PATTERN =
  '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*/api(/accounts/[0-9a-fA-F-]{36}/workspaces/[0-9a-fA-F-]{36})?$';
export const SECRET_ARN_PATTERN = '^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+)?$';

/** A work pool name Prefect accepts and that is safe in a shell word and a URL path. */
export const WORK_POOL_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$';
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
