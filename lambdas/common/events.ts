/** The one way every handler treats an event it cannot use: log it and drop it, never retry it. */
import { InvalidEventError } from './errors';
import type { Logger } from './log';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export function parseOrDrop<T>(parse: (event: unknown) => T, event: unknown, log: Logger): Parsed<T> {
  try {
    return { ok: true, value: parse(event) };
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    log.warn('dropped event', { reason: error.message, detail: error.detail });
    return { ok: false, reason: error.message };
  }
}
