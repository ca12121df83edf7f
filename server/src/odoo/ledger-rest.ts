import type { Ledger, LedgerPage } from "./ledger.js";
import type { OdooClient } from "./odoo-client.js";

/**
 * The ledger through `/api/webhooks/pull`. It shows only rows nobody marked processed and that
 * are not archived. `has_more` ignores filters, so no filter is sent.
 */
/** Rows per read when looking for the newest: few enough that their payloads stay small. */
const PROBE_PAGE = 200;

export class RestLedger implements Ledger {
  constructor(private readonly client: OdooClient) {}

  async readAfter(afterId: number, limit: number): Promise<LedgerPage> {
    const page = await this.client.pull({ last_event_id: afterId, limit });
    return { rows: page.events, hasMore: page.has_more && page.events.length > 0 };
  }

  /**
   * The API has no "newest": find it with one-row reads ("the first row after id"). From the
   * last row of a first page after `atLeast`, an upper bound gallops away in doubling steps; then
   * bisection between the newest row found and that bound until every id between them fits one
   * page, which a last read returns. Up to a page above `atLeast` costs one read; more, about
   * 2·log2(rows above it / PROBE_PAGE) one-row reads, however high the ids are.
   */
  async newestId(atLeast = 0): Promise<number> {
    const first = await this.readAfter(atLeast, PROBE_PAGE);
    let newest = first.rows.at(-1)?.id;
    if (newest === undefined) return atLeast;
    if (!first.hasMore) return newest;
    // Invariant: row `newest` exists, and no row is above `bound`.
    let step = 2 * PROBE_PAGE;
    let bound = newest + step;
    for (let next = await this.firstAfter(bound); next !== undefined;) {
      newest = next;
      step *= 2;
      bound = next + step;
      next = await this.firstAfter(bound);
    }
    while (bound - newest > PROBE_PAGE) {
      const middle = Math.floor((newest + bound) / 2);
      const next = await this.firstAfter(middle);
      if (next === undefined) bound = middle;
      else newest = next;
    }
    // At most PROBE_PAGE ids above `newest`, none above `bound`: one page holds them all.
    return (await this.readAfter(newest, PROBE_PAGE)).rows.at(-1)?.id ?? newest;
  }

  private async firstAfter(id: number): Promise<number | undefined> {
    return (await this.client.pull({ last_event_id: id, limit: 1 })).events[0]?.id;
  }
}
