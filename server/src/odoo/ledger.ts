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
  /** The id of the newest readable row, 0 when there is none. */
  newestId(): Promise<number>;
}
