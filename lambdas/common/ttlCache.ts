/**
 * Values kept for a while: a warm Lambda does not fetch them on every invocation, and a changed
 * value is picked up within the TTL (or at once after `delete`). The secret reader and the
 * registrar's manifest share it.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { readonly value: V; readonly expiresAt: number }>();

  constructor(
    /** How long a value is reused, in ms. */
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The value kept for `key`, or what `load` gives, kept from now on. A failed load keeps nothing. */
  async getOrLoad(key: K, load: () => Promise<V>): Promise<V> {
    const kept = this.entries.get(key);
    if (kept && kept.expiresAt > this.now()) return kept.value;
    const value = await load();
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    return value;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
