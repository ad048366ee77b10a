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
 * Some deployments of an event failed for reasons that may pass (Prefect or AWS unreachable,
 * throttled, 5xx, 401/403): thrown after every deployment was tried, so the event is retried
 * (then kept in the dead-letter queue). The message names every deployment's outcome.
 */
export class RegistrationIncompleteError extends PrefectEcsStackError {
  constructor(readonly outcomes: readonly { readonly deployment: string; readonly outcome: string; readonly reason?: string }[]) {
    super(`registration incomplete, retrying: ${outcomes.map((o) => `${o.deployment} ${o.outcome}${o.reason ? ` (${o.reason})` : ''}`).join('; ')}`);
  }
}

/** A cron string croniter refuses (caught in manifest/cron.ts, which turns it into a problem line). */
export class CronSyntaxError extends PrefectEcsStackError {}
