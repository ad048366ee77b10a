/**
 * Errors every Lambda shares. SDK and HTTP failures are translated into these once, at the
 * boundary where they happen; each function adds its own in its errors.ts.
 */
import { PrefectEcsStackError } from './PrefectEcsStackError';

/** The incoming event is not one this function handles; it is logged and dropped, never retried. */
export class InvalidEventError extends PrefectEcsStackError {
  constructor(reason: string, readonly detail?: Record<string, unknown>) {
    super(`invalid event: ${reason}`);
  }
}

/** An environment variable is missing or malformed: the stack wiring is wrong. */
export class ConfigError extends PrefectEcsStackError {
  constructor(readonly variable: string, problem: string, options?: ErrorOptions) {
    super(`${variable} ${problem}`, options);
  }
}

/** Prefect answered with an HTTP error after retries (or one that is not worth retrying). */
export class PrefectApiError extends PrefectEcsStackError {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly detail: string,
    options?: ErrorOptions,
    /** The parsed error body, for callers that read its fields (e.g. a 422's exception_detail). */
    readonly body?: unknown,
  ) {
    super(`${status} from Prefect on ${path}${hintFor(status)}${detail ? `: ${detail}` : ''}`, options);
  }
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) return ' (check the API key or auth string secret and the API URL)';
  if (status === 404) return ' (check the API URL: it must end in /api, or be a Prefect Cloud workspace URL)';
  return '';
}

/** No answer at all: every attempt timed out or failed to connect. */
export class NetworkError extends PrefectEcsStackError {
  constructor(readonly url: string, reason: string, options?: ErrorOptions) {
    super(`${reason} (${url})`, options);
  }
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

/** An auth mode that needs a credential got none. */
export class MissingCredentialError extends PrefectEcsStackError {
  constructor(readonly authMode: string) {
    super(`Prefect auth mode ${authMode} needs a credential`);
  }
}

/** A secret could not be read, or is empty. */
export class SecretUnavailableError extends PrefectEcsStackError {
  constructor(readonly secretArn: string, reason: string, options?: ErrorOptions) {
    super(`cannot read secret ${secretArn}: ${reason}`, options);
  }
}

/** An AWS API refused a call made without its SDK client (aws/ssmParameter.ts); `name` is its error code, as an SDK error's. */
export class AwsApiError extends PrefectEcsStackError {
  constructor(readonly service: string, readonly operation: string, readonly code: string, message: string) {
    super(`${service} ${operation}: ${code}${message ? `: ${message}` : ''}`);
    this.name = code;
  }
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
