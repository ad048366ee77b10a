/** Errors of the registrar (the shared ones are in ../common/errors.ts). */
import { PrefectEcsStackError } from '../common/PrefectEcsStackError';

/** The manifest is wrong: names the file, the deployment and the field. Reported, never retried. */
export class ManifestError extends PrefectEcsStackError {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
  }
}

/**
 * A deployment's values cannot be built: a block placeholder Prefect would refuse, a value that
 * resolved to the wrong type. Permanent for that deployment (prefect deploy fails the same way).
 */
export class TemplateError extends PrefectEcsStackError {}

/**
 * A deployment's repository is not one the stack watches: its role may not read the repository's
 * images and its rule does not see the pushes. Permanent until a stack update adds it.
 */
export class RepositoryNotWatchedError extends PrefectEcsStackError {
  constructor(readonly repository: string, watched: readonly string[]) {
    super(`repository ${repository} is not watched by the stack (watched: ${watched.join(', ') || 'none'}): add it to WatchedRepositories (a stack update: the push rule and the registrar's role name each repository)`);
  }
}

/** The invocation is near its Lambda timeout: what is left is not started (and retried). */
export class OutOfTimeError extends PrefectEcsStackError {
  constructor(readonly remainingMs: number) {
    super(`stopped ${Math.round(remainingMs / 1000)} s before the Lambda timeout; the rest waits for the retry`);
  }
}

/**
 * Some deployments of an event failed for reasons that may pass (Prefect or AWS unreachable,
 * throttled, 5xx, 401/403, 404/409, out of time): thrown after every deployment was tried (or,
 * once Prefect failed as a whole, marked without a call), so the event is retried (then kept in
 * the dead-letter queue). The message names every deployment's outcome.
 */
export class RegistrationIncompleteError extends PrefectEcsStackError {
  constructor(readonly outcomes: readonly { readonly deployment: string; readonly outcome: string; readonly reason?: string }[]) {
    super(`registration incomplete, retrying: ${outcomes.map((o) => `${o.deployment} ${o.outcome}${o.reason ? ` (${o.reason})` : ''}`).join('; ')}`);
  }
}

/** A cron string croniter refuses (caught in manifest/cron.ts, which turns it into a problem line). */
export class CronSyntaxError extends PrefectEcsStackError {}
