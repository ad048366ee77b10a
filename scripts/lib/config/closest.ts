/** The known name nearest to a misspelled one ("maxWorker" -> "scaling.maxWorkers"), if any is near. */
import { distance } from 'fastest-levenshtein';

/** Compares case-insensitively, whole keys and their last segment; "near" is at most a third of the name. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { key: string; score: number } | undefined;
  for (const key of known) {
    const score = Math.min(...[key, key.split('.').at(-1)!].map((k) => distance(lower, k.toLowerCase())));
    if (!best || score < best.score) best = { key, score };
  }
  return best && best.score <= Math.max(1, Math.floor(name.length / 3)) ? best.key : undefined;
}
