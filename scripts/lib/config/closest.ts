/** The known name nearest to a misspelled one ("maxWorker" -> "scaling.maxWorkers"), if any is near. */

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Compares case-insensitively, whole keys and their last segment; "near" is at most a third of the name. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { key: string; score: number } | undefined;
  for (const key of known) {
    const candidates = [key, key.split('.').at(-1)!].map((k) => k.toLowerCase());
    const score = Math.min(...candidates.map((k) => distance(lower, k)));
    if (!best || score < best.score) best = { key, score };
  }
  return best && best.score <= Math.max(1, Math.floor(name.length / 3)) ? best.key : undefined;
}
