import { ExpiringMap } from "../ops/expiring-map.js";

/**
 * Default most dedupe keys per tenant (HUB_DEDUPE_MAX_KEYS). A key costs about 220 bytes in the
 * hub's heap (a Map entry and its place in the set order) and 206 in Redis (a hash field plus a
 * sorted-set member), measured, so 250,000 keys are about 55 MB per tenant. An event
 * remembers two keys (its content, and its `webhook.event` or `update.webhook` row), so they
 * cover the last 125,000 events: about 4 minutes at the default push limit (500/s), several
 * times Odoo's cron re-send delay (16-60 s after the instant push), and hours at the rates Odoo
 * usually writes.
 */
export const DEDUPE_MAX_KEYS = 250_000;

/**
 * Most stamps one content key holds: the same values written again and again (a field toggled
 * back and forth) keep their latest MAX_STAMPS stamps in the window, so that a burst of them
 * cannot make one key unbounded.
 */
export const MAX_STAMPS = 64;

/** A change's content, stamped at the second Odoo wrote it. */
export interface StampedContent {
  key: string;
  second: number;
  /** The same content remembered stamped at most this many seconds apart is the same change. */
  within: number;
}

/**
 * What the dedupe window checks an append against, and what an appended event is remembered by:
 * the keys of the Odoo rows that carried it (any one remembered makes a duplicate), then its
 * stamped content. The rows come first: a duplicate's key names the row when both match.
 */
export interface DedupeInput {
  rows: readonly string[];
  content?: StampedContent | undefined;
}

/**
 * A content key's stamps, flat: second, seq and expiry (ms) of each in turn, oldest first. Numbers
 * in one array rather than an object per stamp: with a row key and a content key per change, a
 * key cost 217 bytes on average, against 304 with stamp objects (measured with Node 20).
 */
type Stamps = number[];
const STAMP = 3;

/**
 * Keys seen within a fixed window, each pointing at the seq of the event that carried it, and at
 * most `maxKeys` of them: past the cap the keys remembered longest ago are forgotten first, as if
 * their window had passed (see README, "What the dedupe window costs"). A content key is one key
 * holding its stamps, each with its own window, so that a change is checked with one lookup of
 * its content rather than one per nearby second.
 */
export class DedupeWindow {
  private readonly keys: ExpiringMap<string, number | Stamps>;

  constructor(
    private readonly windowMs: number,
    maxKeys = DEDUPE_MAX_KEYS,
    private readonly now: () => number = Date.now,
  ) {
    this.keys = new ExpiringMap({ ttlMs: windowMs, maxEntries: maxKeys, now });
  }

  /** The first key of `dedupe` still in the window, and the seq it points at. */
  seen(dedupe: DedupeInput): { key: string; seq: number } | undefined {
    for (const key of dedupe.rows) {
      const seq = this.keys.get(key);
      if (typeof seq === "number") return { key, seq };
    }
    const content = dedupe.content;
    if (content === undefined) return undefined;
    const stamps = this.keys.get(content.key);
    if (!Array.isArray(stamps)) return undefined;
    const now = this.now();
    for (let i = 0; i < stamps.length; i += STAMP) {
      const fresh = stamps[i + 2]! > now;
      if (fresh && Math.abs(stamps[i]! - content.second) <= content.within) {
        return { key: content.key, seq: stamps[i + 1]! };
      }
    }
    return undefined;
  }

  remember(dedupe: DedupeInput, seq: number): void {
    for (const key of dedupe.rows) this.keys.set(key, seq);
    const content = dedupe.content;
    if (content === undefined) return;
    const now = this.now();
    const stamp = [content.second, seq, now + this.windowMs];
    const known = this.keys.get(content.key);
    // Most contents are stamped once: a literal of three numbers, with no spare capacity.
    if (!Array.isArray(known)) return this.keys.set(content.key, stamp);
    const stamps: Stamps = [];
    for (let i = 0; i < known.length; i += STAMP) {
      if (known[i + 2]! > now) stamps.push(known[i]!, known[i + 1]!, known[i + 2]!);
    }
    stamps.push(...stamp);
    if (stamps.length > MAX_STAMPS * STAMP) stamps.splice(0, stamps.length - MAX_STAMPS * STAMP);
    this.keys.set(content.key, stamps);
  }
}
