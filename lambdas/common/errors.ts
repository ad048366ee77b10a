/**
 * Errors of the Lambdas. One base class sets `name` and keeps `cause`; subclasses carry the
 * context a person needs to act. SDK and HTTP failures are translated into these once, at the
 * boundary where they happen.
 */
export class PrefectEcsStackError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The incoming event is not one this function handles; it is logged and dropped, never retried. */
export class InvalidEventError extends PrefectEcsStackError {
  constructor(reason: string, readonly detail?: Record<string, unknown>) {
    super(`invalid event: ${reason}`);
  }
}

/** An environment variable is missing or malformed: the stack wiring is wrong. */
export class ConfigError extends PrefectEcsStackError {
  constructor(readonly variable: string, problem: string) {
    super(`${variable} ${problem}`);
  }
}

/** Prefect answered with an HTTP error after retries (or one that is not worth retrying). */
export class PrefectApiError extends PrefectEcsStackError {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(`${status} from Prefect on ${path}${hintFor(status)}${detail ? `: ${detail}` : ''}`, options);
  }
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) return ' (check the API key or auth string secret and the API URL)';
  if (status === 404) return ' (check the API URL: it must end in /api, or be a Prefect Cloud workspace URL)';
  return '';
}

/** Prefect could not be reached in time (timeouts, connection errors) after retries. */
export class PrefectUnavailableError extends PrefectEcsStackError {
  constructor(readonly path: string, reason: string, options?: ErrorOptions) {
    super(`Prefect API unreachable on ${path}: ${reason}`, options);
  }
}

/** Prefect answered 2xx with a body that is not what the schema promises. */
export class PrefectResponseError extends PrefectEcsStackError {
  constructor(readonly path: string, reason: string, options?: ErrorOptions) {
    super(`unexpected response from Prefect on ${path}: ${reason}`, options);
  }
}

/** A secret could not be read, or is empty. */
export class SecretUnavailableError extends PrefectEcsStackError {
  constructor(readonly secretArn: string, reason: string, options?: ErrorOptions) {
    super(`cannot read secret ${secretArn}: ${reason}`, options);
  }
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
