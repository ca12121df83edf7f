import { ExpiringMap } from "./expiring-map.js";
import type { Limiter, Verdict } from "./limiter.js";

/** How long an address found not blocked is taken as such without asking the limiter again. */
const CLEARED_MS = 1000;
const MAX_ADDRESSES = 10_000;

/**
 * A limiter's `check`, asked at most once a second per address that keeps succeeding. On Redis
 * every check is a round trip, and Odoo pushes from one address hundreds of times a second: the
 * one Redis call a push needs is the append. An address is asked again after any failure, so a
 * guesser (whose attempts fail) is checked on every attempt, as before.
 */
export class ClearedAddresses {
  private readonly cleared = new ExpiringMap<string, true>({
    ttlMs: CLEARED_MS,
    maxEntries: MAX_ADDRESSES,
  });

  constructor(private readonly limiter: Limiter) {}

  async check(address: string): Promise<Verdict> {
    if (this.cleared.get(address) === true) return { ok: true };
    const verdict = await this.limiter.check(address);
    if (verdict.ok) this.cleared.set(address, true);
    return verdict;
  }

  /** The address failed: checked again next time, and its failure counted. */
  async failed(address: string): Promise<void> {
    this.cleared.delete(address);
    await this.limiter.take(address);
  }
}
