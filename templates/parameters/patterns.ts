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
