import type { Ledger, LedgerPage } from "./ledger.js";
import type { OdooClient } from "./odoo-client.js";

/**
 * The ledger through `/api/webhooks/pull`. It shows only rows nobody marked processed and that
 * are not archived. `has_more` ignores filters, so no filter is sent.
 */
export class RestLedger implements Ledger {
  constructor(private readonly client: OdooClient) {}

  async readAfter(afterId: number, limit: number): Promise<LedgerPage> {
    const page = await this.client.pull({ last_event_id: afterId, limit });
    return { rows: page.events, hasMore: page.has_more && page.events.length > 0 };
  }

  /** The API has no "newest": find it with one-row reads, doubling then bisecting. */
  async newestId(): Promise<number> {
    let newest = await this.firstAfter(0);
    if (newest === undefined) return 0;
    let above = newest * 2 + 1;
    for (
      let next = await this.firstAfter(above);
      next !== undefined;
      next = await this.firstAfter(above)
    ) {
      newest = next;
      above = next * 2 + 1;
    }
    // A row `newest` exists and none is above `above` (`above` itself may be one).
    while (above - newest > 1) {
      const middle = Math.floor((newest + above) / 2);
      const next = await this.firstAfter(middle);
      if (next === undefined) above = middle;
      else newest = next;
    }
    return (await this.firstAfter(newest)) ?? newest;
  }

  private async firstAfter(id: number): Promise<number | undefined> {
    return (await this.client.pull({ last_event_id: id, limit: 1 })).events[0]?.id;
  }
}
