import { ExpiringMap } from "../ops/expiring-map.js";

/**
 * Default most dedupe keys per tenant (HUB_DEDUPE_MAX_KEYS). A key costs about 225 bytes in the
 * hub's heap and in Redis alike (measured: a Map entry, or a hash field plus a sorted-set
 * member), so 250,000 keys are about 56 MB per tenant. An event remembers two keys (its
 * content, and its `webhook.event` or `update.webhook` row), so they cover the last 125,000
 * events: about 4 minutes at the default push limit (500/s), several times Odoo's cron re-send
 * delay (16-60 s after the instant push), and hours at the rates Odoo usually writes.
 */
export const DEDUPE_MAX_KEYS = 250_000;

/**
 * Keys seen within a fixed window, each pointing at the seq of the event that carried it, and at
 * most `maxKeys` of them: past the cap the keys remembered longest ago are forgotten first, as if
 * their window had passed (see README, "What the dedupe window costs").
 */
export class DedupeWindow {
  private readonly keys: ExpiringMap<string, number>;

  constructor(windowMs: number, maxKeys = DEDUPE_MAX_KEYS, now: () => number = Date.now) {
    this.keys = new ExpiringMap({ ttlMs: windowMs, maxEntries: maxKeys, now });
  }

  /** The first of `keys` still in the window, and the seq it points at. */
  seen(keys: readonly string[]): { key: string; seq: number } | undefined {
    for (const key of keys) {
      const seq = this.keys.get(key);
      if (seq !== undefined) return { key, seq };
    }
    return undefined;
  }

  remember(keys: readonly string[], seq: number): void {
    for (const key of keys) this.keys.set(key, seq);
  }
}
