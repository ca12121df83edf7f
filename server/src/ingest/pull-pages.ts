import type { OdooPullRow } from "@odoo-live/protocol";
import type { Ledger, LedgerPage } from "../odoo/ledger.js";

/** A page of the ledger with each row's prepared form (undefined: a row to skip). */
export interface PreparedPage<T> {
  page: LedgerPage;
  prepared: (T | undefined)[];
}

/**
 * The ledger's pages after `afterId`, in order, each read (and its rows prepared) while the
 * caller logs the one before: Odoo serves and the hub parses a page while the log appends the
 * previous one, instead of one waiting for the other. Stops after the last page, or once
 * `stopping` is aborted; a page read ahead and not taken is dropped, its failure with it (the
 * next pass reads it again).
 */
export async function* pagesAhead<T>(
  ledger: Ledger,
  afterId: number,
  pageSize: number,
  stopping: AbortSignal,
  prepare: (row: OdooPullRow) => T | undefined,
): AsyncGenerator<PreparedPage<T>> {
  const read = (after: number) =>
    ledger.readAfter(after, pageSize).then((page) => ({ page, prepared: page.rows.map(prepare) }));
  let next = read(afterId);
  for (;;) {
    const current = await next;
    const last = current.page.rows.at(-1);
    const more = current.page.hasMore && last !== undefined && !stopping.aborted;
    if (more) {
      next = read(last.id);
      // Handled here too, in case the caller stops before taking it.
      next.catch(() => undefined);
    }
    yield current;
    if (!more || stopping.aborted) return;
  }
}
