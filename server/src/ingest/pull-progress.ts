import type { Ledger } from "../odoo/ledger.js";

/** While behind, Odoo's newest row is asked for at most this often. */
const MEASURE_EVERY_MS = 10_000;

/**
 * How far this node's pull is behind Odoo's ledger, at almost no cost. A page read with no more
 * rows after it proves the pull caught up at that moment: the lag is the time since that last
 * happened (since this node started pulling, until it first does), and nothing is behind. Only
 * while pages keep saying "more", Odoo's newest id above the last row read is asked for (one
 * request over JSON-RPC; over REST a few one-row reads, more the further behind), at most every
 * 10 s; the ids between it and the last row read bound the rows behind from above (rolled-back
 * ids, and over REST rows others marked processed, are not rows).
 */
export class PullProgress {
  private caughtUpAt: number;
  private lastRead: number;
  /** Odoo's newest id as last measured, while that is still ahead of the reads. */
  private newest: number | undefined;
  private measuredAt = -Infinity;
  private measuring = false;

  constructor(
    private readonly ledger: Ledger,
    watermark: number,
    private readonly now: () => number = Date.now,
  ) {
    this.caughtUpAt = now();
    this.lastRead = watermark;
  }

  /** A page was read: its last row's id (undefined when empty) and whether more follow. */
  page(lastId: number | undefined, hasMore: boolean): void {
    const now = this.now();
    if (lastId !== undefined) this.lastRead = Math.max(this.lastRead, lastId);
    if (!hasMore) {
      this.caughtUpAt = now;
      this.newest = undefined;
    } else if (now - this.measuredAt >= MEASURE_EVERY_MS) this.measure(now);
  }

  /** Seconds since a read last reached the end of the ledger. */
  lagSeconds(): number {
    return (this.now() - this.caughtUpAt) / 1000;
  }

  /** Ledger ids between the last row read and Odoo's newest (as last measured). */
  idsBehind(): number {
    return Math.max(0, (this.newest ?? this.lastRead) - this.lastRead);
  }

  /** In the background: the pass does not wait for a number only metrics read. */
  private measure(now: number): void {
    if (this.measuring) return;
    this.measuring = true;
    this.measuredAt = now;
    this.ledger.newestId(this.lastRead).then(
      (id) => {
        this.measuring = false;
        this.newest = id;
      },
      () => {
        // Odoo failing shows in the pull's own errors; the last measure stands meanwhile.
        this.measuring = false;
      },
    );
  }
}
