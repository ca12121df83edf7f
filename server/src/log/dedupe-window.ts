/**
 * Keys seen within a fixed window, each pointing at the seq of the event that carried it. Every
 * key lives the same time, so insertion order is expiry order and expired keys are swept from
 * the front.
 */
export class DedupeWindow {
  private readonly entries = new Map<string, { expiry: number; seq: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The first of `keys` still in the window, and the seq it points at. */
  seen(keys: readonly string[]): { key: string; seq: number } | undefined {
    this.sweep();
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry !== undefined) return { key, seq: entry.seq };
    }
    return undefined;
  }

  remember(keys: readonly string[], seq: number): void {
    const expiry = this.now() + this.windowMs;
    for (const key of keys) {
      this.entries.delete(key);
      this.entries.set(key, { expiry, seq });
    }
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiry > now) return;
      this.entries.delete(key);
    }
  }
}
