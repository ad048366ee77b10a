/**
 * Tells "this server does not know that filter key" apart from any other failure, so an optional
 * count can fall back instead of making the whole demand unreadable.
 *
 * Prefect's nested filter models forbid extra keys and the server answers 422 with its own body
 * (not FastAPI's `{"detail": ...}`), in both majors:
 * - 3.x (pydantic 2): `{"exception_message": "Invalid request received.", "exception_detail":
 *   [{"type": "extra_forbidden", "loc": ["body", "flow_runs", "end_time"], ...}], "request_body": ...}`
 *   (3.0.0:src/prefect/server/api/server.py:153-164, 3.6.28:...:199-212; models `extra="forbid"`,
 *   3.6.28:src/prefect/server/schemas/filters.py:49-52). A 3.0.0-3.0.3 server answers this to
 *   `end_time`, which 3.0.4 added (PR #15502).
 * - 2.x (pydantic.v1): the same wrapper with `{"loc": [...], "msg": "extra fields not permitted",
 *   "type": "value_error.extra"}` (2.20.25:src/prefect/server/api/server.py:138-149,
 *   2.20.25:src/prefect/server/schemas/filters.py:42-46).
 * A proxy or Prefect Cloud may use FastAPI's `{"detail": [...]}`: read that too.
 */
import { PrefectApiError } from '../../common/errors';

const EXTRA_KEY_ERRORS = new Set(['extra_forbidden', 'value_error.extra']);

interface ValidationItem {
  readonly type?: unknown;
  readonly loc?: unknown;
}

function validationItems(body: unknown): ValidationItem[] {
  if (typeof body !== 'object' || body === null) return [];
  const record = body as Record<string, unknown>;
  const items = record.exception_detail ?? record.detail;
  return Array.isArray(items) ? items.filter((item): item is ValidationItem => typeof item === 'object' && item !== null) : [];
}

/** Whether `error` is the server refusing the filter key `key` (the last element of a 422's `loc`). */
export function rejectsFilterKey(error: unknown, key: string): boolean {
  if (!(error instanceof PrefectApiError) || error.status !== 422) return false;
  return validationItems(error.body).some(
    (item) => typeof item.type === 'string' && EXTRA_KEY_ERRORS.has(item.type) && Array.isArray(item.loc) && item.loc[item.loc.length - 1] === key,
  );
}
