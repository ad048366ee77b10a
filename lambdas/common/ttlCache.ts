/**
 * Values kept for a while: a warm Lambda does not fetch them on every invocation, and a changed
 * value is picked up within the TTL (or at once after `delete`). The secret reader and the
 * registrar's manifest share it.
 */
export class TtlCache<K, V> {
  /** A load in flight is kept too (expiresAt Infinity until it settles): the scaler's parallel requests share one secret read. */
  private readonly entries = new Map<K, { readonly value: Promise<V>; expiresAt: number }>();

  constructor(
    /** How long a value is reused, in ms, counted from when its load settled. */
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The value kept for `key`, or what `load` gives, kept from now on. A failed load keeps nothing. */
  getOrLoad(key: K, load: () => Promise<V>): Promise<V> {
    const kept = this.entries.get(key);
    if (kept && kept.expiresAt > this.now()) return kept.value;
    const entry = { value: Promise.resolve().then(load), expiresAt: Number.POSITIVE_INFINITY };
    this.entries.set(key, entry);
    // Only this load's own entry is touched: a delete() while it was in flight stays deleted.
    entry.value.then(
      () => this.entries.get(key) === entry && (entry.expiresAt = this.now() + this.ttlMs),
      () => this.entries.get(key) === entry && this.entries.delete(key),
    );
    return entry.value;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
