import type { NormalizedEvent } from "@odoo-live/protocol";
import type { Hub } from "@odoo-live/server";
import { waitFor } from "../../helpers/wait.js";
import type { LedgerRow } from "./odoo-admin.js";
import { MODELS, eventKey, pulledThrough, rowKey, type OdooUnderTest } from "./setup.js";

/** Waits until every ledger row after `after` (of the devices' models) is among `seen()`. */
export async function everyRowSeen(
  odoo: OdooUnderTest,
  after: number,
  seen: () => readonly NormalizedEvent[],
): Promise<LedgerRow[]> {
  let rows: LedgerRow[] = [];
  await waitFor(
    async () => {
      rows = await odoo.admin.ledger(after, MODELS);
      const keys = new Set(seen().map(eventKey));
      return rows.every((row) => keys.has(rowKey(row)));
    },
    { timeoutMs: 20_000, intervalMs: 200, what: `every ledger row after ${after} on the device` },
  );
  return rows;
}

/**
 * What `events()` holds once everything Odoo recorded after `after` has been through the hub:
 * every row seen, every row pulled, then one last pushed change received behind them (events
 * arrive in log order, so nothing logged before it is still on its way). Returns the rows and the
 * events before that last change.
 */
export async function settle(
  odoo: OdooUnderTest,
  hub: Hub,
  after: number,
  events: () => readonly NormalizedEvent[],
): Promise<{ rows: LedgerRow[]; events: NormalizedEvent[] }> {
  const rows = await everyRowSeen(odoo, after, events);
  await pulledThrough(hub, rows.at(-1)?.id ?? after);
  const last = await odoo.records.jsonrpc.create("sale.order", { partner_id: 1 });
  const isLast = (e: NormalizedEvent) => e.model === "sale.order" && e.recordId === last;
  await waitFor(() => events().some(isLast), { what: "a last pushed change" });
  const lastSeq = events().find(isLast)!.seq;
  return { rows, events: events().filter((e) => e.seq < lastSeq) };
}
