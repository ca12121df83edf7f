import type { OdooPullRow } from "@odoo-live/protocol";

export interface LedgerPage {
  /** Rows in id order. */
  rows: OdooPullRow[];
  /** More rows may follow the last one. */
  hasMore: boolean;
}

/** Odoo's `update.webhook` ledger, read in id order: through the REST pull API or JSON-RPC. */
export interface Ledger {
  readAfter(afterId: number, limit: number): Promise<LedgerPage>;
  /**
   * The id of the newest readable row above `atLeast` (default 0), or `atLeast` when there is
   * none: a caller that knows a row (the last one it read) says so, and the search starts there.
   */
  newestId(atLeast?: number): Promise<number>;
}
