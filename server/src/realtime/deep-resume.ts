import { normalizePullRow, type NormalizedEvent } from "@odoo-live/protocol";
import type { Tenant } from "../config/tenants.js";
import type { EventLog } from "../log/event-log.js";
import { encodeLedgerCursor, type Position } from "../log/position.js";
import type { Ledger } from "../odoo/ledger.js";
import type { OdooConnection } from "../odoo/odoo-connections.js";
import { routedUsers } from "../routing/routes.js";
import { selects, type Selector } from "../routing/selector.js";

export interface DeepResumeDeps {
  log: EventLog;
  tenants: ReadonlyMap<string, Tenant>;
  odoo: ReadonlyMap<string, OdooConnection>;
}

export interface DeepCatchup {
  events: NormalizedEvent[];
  through: Position;
  source: "hub" | "odoo";
}

/**
 * Catches a device up from its Odoo ledger position `from` (its `user.sync.state.last_event_id`,
 * or a ledger cursor): the hub's retained events whose ledger row is after it, preceded, when
 * the hub's log does not reach back that far, by the ledger rows Odoo still has. Undefined when
 * neither can prove continuity (no pull coverage, a trimmed event of unknown row).
 */
export async function catchUpFromLedger(
  tenant: string,
  from: number,
  selector: Selector,
  deps: DeepResumeDeps,
): Promise<DeepCatchup | undefined> {
  const floor = await deps.log.ledgerFloor(tenant);
  if (floor === null || floor === Infinity) return undefined;
  const watermark = (await deps.log.ledgerAt(tenant, (await deps.log.head(tenant)).seq)) ?? floor;
  const retained = await deps.log.readSince(tenant, await deps.log.oldest(tenant), selector);
  if (!retained.ok) return undefined;
  if (floor <= from) {
    return { events: after(retained.events, from), through: retained.head, source: "hub" };
  }
  const ledger = deps.odoo.get(tenant)?.ledger;
  if (ledger === undefined) return undefined;
  const routes = deps.tenants.get(tenant)?.routes ?? [];
  const older = await readLedger(ledger, { tenant, from, to: watermark, selector, routes });
  const events = [...older, ...after(retained.events, watermark)];
  return { events, through: retained.head, source: "odoo" };
}

/** Hub events whose ledger row is after `ledgerId`, or not known yet (pushed, not yet pulled). */
function after(events: NormalizedEvent[], ledgerId: number): NormalizedEvent[] {
  return events.filter((e) => (e.origin.updateWebhookId ?? Infinity) > ledgerId);
}

interface LedgerRange {
  tenant: string;
  from: number;
  to: number;
  selector: Selector;
  routes: Tenant["routes"];
}

/** The rows in (from, to] the device selects, as events positioned by ledger cursors. */
async function readLedger(ledger: Ledger, range: LedgerRange): Promise<NormalizedEvent[]> {
  const events: NormalizedEvent[] = [];
  for (let after = range.from; after < range.to;) {
    const page = await ledger.readAfter(after, 500);
    for (const row of page.rows) {
      if (row.id > range.to) return events;
      const draft = normalizePullRow(range.tenant, row);
      const uids = routedUsers(range.routes, draft.model, draft.record);
      if (selects(range.selector, draft.model, uids)) {
        events.push({ ...draft, seq: 0, cursor: encodeLedgerCursor(row.id) });
      }
    }
    const last = page.rows.at(-1);
    if (!page.hasMore || last === undefined) break;
    after = last.id;
  }
  return events;
}
