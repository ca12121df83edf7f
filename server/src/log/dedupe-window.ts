/**
 * Keys seen within a fixed window. Every key lives the same time, so insertion order is expiry
 * order and expired keys are swept from the front.
 */
export class DedupeWindow {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The first of `keys` still in the window, if any. */
  seen(keys: readonly string[]): string | undefined {
    this.sweep();
    return keys.find((k) => this.expiries.has(k));
  }

  remember(keys: readonly string[]): void {
    const expiry = this.now() + this.windowMs;
    for (const key of keys) {
      this.expiries.delete(key);
      this.expiries.set(key, expiry);
    }
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, expiry] of this.expiries) {
      if (expiry > now) return;
      this.expiries.delete(key);
    }
  }
}
