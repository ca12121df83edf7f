/**
 * The ids of the most recently seen events, bounded. A replay after a reconnect can repeat events
 * the device already processed (or still has queued); they are recent, so a bounded set suffices.
 */
export class RecentIds {
  readonly #ids = new Set<string>();

  constructor(readonly capacity: number) {}

  /** True when `id` was seen before; either way it becomes the most recent id. */
  seen(id: string): boolean {
    const known = this.#ids.delete(id);
    this.#ids.add(id);
    if (this.#ids.size > this.capacity) this.#evictOldest();
    return known;
  }

  clear(): void {
    this.#ids.clear();
  }

  get size(): number {
    return this.#ids.size;
  }

  #evictOldest(): void {
    // A Set iterates in insertion order, and seen() re-inserts, so the first id is the least recent.
    const oldest = this.#ids.values().next();
    if (oldest.done !== true) this.#ids.delete(oldest.value);
  }
}
