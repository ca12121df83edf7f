export interface ExpiringMapOptions {
  /** How long an entry lives after its last `set`. */
  ttlMs: number;
  /** Hard cap: above it, the entries set longest ago are dropped first. */
  maxEntries: number;
  now?: () => number;
}

/**
 * A map whose entries live `ttlMs` after their last `set`, at most `maxEntries` of them. Every
 * entry lives the same time and `set` re-inserts, so insertion order is expiry order: expired
 * entries and those over the cap both leave from the front, in O(1) each.
 */
export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, { expiry: number; value: V }>();
  private readonly now: () => number;
  /**
   * No entry expires before this (the front entry's expiry when last looked at, or earlier):
   * a purge that cannot find anything to drop returns without walking the map.
   */
  private earliestExpiry = Infinity;

  constructor(private readonly options: ExpiringMapOptions) {
    this.now = options.now ?? Date.now;
  }

  get(key: K): V | undefined {
    this.purge();
    return this.entries.get(key)?.value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    const expiry = this.now() + this.options.ttlMs;
    this.entries.set(key, { expiry, value });
    this.earliestExpiry = Math.min(this.earliestExpiry, expiry);
    if (this.entries.size <= this.options.maxEntries) return;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  get size(): number {
    this.purge();
    return this.entries.size;
  }

  /** Drops the expired entries (also done on every get, set and size). */
  purge(): void {
    const now = this.now();
    if (this.earliestExpiry > now) return;
    for (const [key, entry] of this.entries) {
      if (entry.expiry > now) {
        this.earliestExpiry = entry.expiry;
        return;
      }
      this.entries.delete(key);
    }
    this.earliestExpiry = Infinity;
  }
}
