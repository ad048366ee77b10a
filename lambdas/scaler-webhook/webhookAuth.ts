/**
 * Compares the webhook token in constant time. Both sides are hashed first so the comparison
 * takes the same time whatever the lengths (timingSafeEqual needs equal lengths).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function tokensMatch(given: string | undefined, expected: string): boolean {
  if (!expected) return false;
  return timingSafeEqual(digest(given ?? ''), digest(expected)) && given !== undefined;
}
