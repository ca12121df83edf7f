export interface ExpiringMapOptions {
  /** How long an entry lives after its last `set`. */
  ttlMs: number;
  /** Hard cap: above it, the entries set longest ago are dropped first. */
  maxEntries: number;
  now?: () => number;
}

interface Slot<V> {
  value: V;
  /** The place of the entry's last `set` in the map's set order. */
  place: number;
}

/**
 * A map whose entries live `ttlMs` after their last `set`, at most `maxEntries` of them. Every
 * entry lives the same time, so set order is expiry order: expired entries and those over the
 * cap both leave from the front of the set order, in O(1) each (amortized).
 *
 * The set order is a queue of its own, not the Map's insertion order: V8 keeps a deleted Map
 * entry as a hole until it rebuilds the table, and finding the oldest entry by iterating the Map
 * crosses every hole left since. At the dedupe window's cap (250,000 keys, one dropped per key
 * added) that cost 50 to 300 µs per append, growing until each rebuild (BENCHMARKS.md).
 */
export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, Slot<V>>();
  private readonly now: () => number;
  /**
   * Every `set` since the last compaction, oldest first, from `head` on: its key and expiry, at
   * place `base + index`. A key set again or deleted leaves its older places stale (its slot's
   * place no longer matches); dropping a stale place drops nothing.
   */
  private keys: (K | undefined)[] = [];
  private expiries: number[] = [];
  private head = 0;
  private base = 0;

  constructor(private readonly options: ExpiringMapOptions) {
    this.now = options.now ?? Date.now;
  }

  get(key: K): V | undefined {
    this.purge();
    return this.entries.get(key)?.value;
  }

  set(key: K, value: V): void {
    const place = this.base + this.keys.length;
    const slot = this.entries.get(key);
    if (slot === undefined) this.entries.set(key, { value, place });
    else {
      slot.value = value;
      slot.place = place;
    }
    this.keys.push(key);
    this.expiries.push(this.now() + this.options.ttlMs);
    while (this.entries.size > this.options.maxEntries) this.dropFront();
    this.compact();
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
    while (this.head < this.keys.length && this.expiries[this.head]! <= now) this.dropFront();
    this.compact();
  }

  /** Drops the oldest place, and its key's entry if that was the key's last set. */
  private dropFront(): void {
    const index = this.head++;
    const key = this.keys[index] as K;
    this.keys[index] = undefined;
    if (this.entries.get(key)?.place === this.base + index) this.entries.delete(key);
  }

  /**
   * Keeps the queue within a few times the live entries: dropped places are cut off once they
   * are the larger part, stale ones (keys set again, or deleted) once they outnumber the
   * entries twice. Each costs O(queue) after at least as many sets: O(1) per set, amortized.
   */
  private compact(): void {
    const queued = this.keys.length - this.head;
    if (queued > 2 * this.entries.size + 1024) return this.rebuild();
    if (this.head < 1024 || this.head < queued) return;
    this.keys = this.keys.slice(this.head);
    this.expiries = this.expiries.slice(this.head);
    this.base += this.head;
    this.head = 0;
  }

  /** The queue with only each entry's last place, renumbered from 0. */
  private rebuild(): void {
    const keys: K[] = [];
    const expiries: number[] = [];
    for (let index = this.head; index < this.keys.length; index++) {
      const key = this.keys[index] as K;
      const slot = this.entries.get(key);
      if (slot?.place !== this.base + index) continue;
      slot.place = keys.length;
      keys.push(key);
      expiries.push(this.expiries[index]!);
    }
    [this.keys, this.expiries, this.head, this.base] = [keys, expiries, 0, 0];
  }
}
