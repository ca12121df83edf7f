import type { NormalizedEvent } from "@odoo-live/protocol";
import type { EventLog } from "../log/event-log.js";
import { encodeLedgerCursor, type Head } from "../log/position.js";
import type { OdooConnection } from "../odoo/odoo-connections.js";
import type { Selector } from "../routing/selector.js";
import type { Backfills } from "./backfill.js";

export interface DeepResumeDeps {
  log: EventLog;
  odoo: ReadonlyMap<string, OdooConnection>;
  backfills: Backfills;
  /** How long a resume waits for the log's ledger coverage (a hub that just started pulling). */
  coverageWaitMs: number;
}

export interface DeepCatchup {
  events: NormalizedEvent[];
  through: Head;
  source: "hub" | "odoo";
}

/**
 * Catches a device up from its Odoo ledger position `from` (a cursor's ledger watermark, a
 * ledger cursor, or its `user.sync.state.last_event_id`): the ledger rows after it that the log
 * holds as history (filled in from Odoo first when the log does not reach back that far), then
 * the hub's retained events whose ledger row is after it. Undefined when neither can prove
 * continuity (no pull coverage, a trimmed event of unknown row).
 */
export async function catchUpFromLedger(
  tenant: string,
  from: number,
  selector: Selector,
  deps: DeepResumeDeps,
): Promise<DeepCatchup | undefined> {
  const { log, backfills } = deps;
  const floor = await coverage(tenant, deps);
  if (floor === null || floor === Infinity) return undefined;
  const filled = from < floor;
  if (filled && !(await backfills.ensure(tenant, from))) return undefined;
  const retained = await log.readSince(tenant, await log.oldest(tenant), selector);
  if (!retained.ok) return undefined;
  const history = await log.readHistory(tenant, from, Number.MAX_SAFE_INTEGER, selector);
  const events = [...history.map(asLedgerEvent), ...after(retained.events, from)];
  return { events, through: retained.head, source: filled ? "odoo" : "hub" };
}

/**
 * The log's ledger floor, waiting up to `coverageWaitMs` for a tenant that pulls but has not
 * marked any row yet (its puller is starting): a device that reconnects right after a restart
 * is caught up instead of told to resync.
 */
async function coverage(tenant: string, deps: DeepResumeDeps): Promise<number | null> {
  const deadline = Date.now() + deps.coverageWaitMs;
  for (;;) {
    const floor = await deps.log.ledgerFloor(tenant);
    if (floor !== null || deps.odoo.get(tenant)?.ledger === undefined) return floor;
    if (Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A history event as a device gets it: positioned by its ledger row, before the hub's own. */
function asLedgerEvent(event: NormalizedEvent): NormalizedEvent {
  const ledgerId = event.origin.updateWebhookId ?? 0;
  return { ...event, seq: 0, cursor: encodeLedgerCursor(ledgerId) };
}

/** Hub events whose ledger row is after `ledgerId`, or not known yet (pushed, not yet pulled). */
function after(events: NormalizedEvent[], ledgerId: number): NormalizedEvent[] {
  return events.filter((e) => (e.origin.updateWebhookId ?? Infinity) > ledgerId);
}
