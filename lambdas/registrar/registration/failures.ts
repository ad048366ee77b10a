/**
 * What a failed deployment's error means: a failure for good (`failed`: logged, counted by the
 * registrar's alarm, not retried) or one that may pass (`retrying`: the event is retried, then
 * dead-lettered); whether Prefect fails as a whole, so the deployments after it wait for the retry
 * instead of each spending a call's deadline on it; and whether the cached credential is stale.
 * Pure.
 */
import { AwsApiError, MissingCredentialError, PrefectApiError, PrefectResponseError, PrefectUnavailableError, SecretUnavailableError } from '../../common/errors';
import { OutOfTimeError, RepositoryNotWatchedError, TemplateError } from '../errors';

export interface FailureKind {
  readonly outcome: 'failed' | 'retrying';
  /** Prefect (or its credential, or the time left) fails as a whole: stop calling it in this invocation. */
  readonly halts: boolean;
  /** 401/403: a rotated credential may be cached; read it again before the retry. */
  readonly staleCredential: boolean;
}

/**
 * Prefect answers these to a request that is wrong and stays wrong: 422 for a body its schemas
 * refuse (3.6.28:src/prefect/server/api/server.py:L199-L212, job variables the pool's template
 * refuses: server/api/validation.py:L265-L299), 400 and 413 for a malformed or too large one.
 */
const PERMANENT_STATUS = [400, 413, 422];

/**
 * Answers that say Prefect as a whole cannot serve us now: the credential (401/403), the URL
 * (a 404 on a write: no workspace there, or no work pool yet at stack creation), throttling (429)
 * and server errors. 408 and 409 (a write race, 3.6.28:tests/server/api/test_server.py:L64-L72)
 * concern one request and are retried without stopping the others.
 */
const OUTAGE_STATUS = [401, 403, 404, 429];

const retrying = (halts: boolean, staleCredential = false): FailureKind => ({ outcome: 'retrying', halts, staleCredential });
const FAILED: FailureKind = { outcome: 'failed', halts: false, staleCredential: false };

export function classify(error: unknown): FailureKind {
  if (error instanceof TemplateError || error instanceof RepositoryNotWatchedError) return FAILED;
  // The role lacks ecr:DescribeImages on a watched repository: a stack defect, not a passing one.
  if (error instanceof AwsApiError) return error.code === 'AccessDeniedException' ? FAILED : retrying(false);
  if (error instanceof PrefectApiError) {
    if (PERMANENT_STATUS.includes(error.status)) return FAILED;
    return retrying(OUTAGE_STATUS.includes(error.status) || error.status >= 500, error.status === 401 || error.status === 403);
  }
  const outage = [PrefectUnavailableError, PrefectResponseError, SecretUnavailableError, MissingCredentialError, OutOfTimeError].some((type) => error instanceof type);
  return retrying(outage);
}

/**
 * A message with every value read from a Prefect block replaced: a 422 may quote what was sent
 * ("Failure reason: 's3cret' is not of type 'integer'", 3.6.28:src/prefect/utilities/schema_tools/
 * validation.py:L93-L101), and block values are often secrets. Values shorter than 4 characters
 * are left, or every "1" of a message would go.
 */
export function withoutSecrets(message: string, secrets: ReadonlySet<string>): string {
  const forms = [...secrets].filter((s) => s.length >= 4).flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
  return forms.sort((a, b) => b.length - a.length).reduce((text, secret) => text.split(secret).join('[block value]'), message);
}
