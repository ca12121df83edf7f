import type { NormalizedEvent, ResyncReason } from "@odoo-live/protocol";
import type { ReadResult } from "../log/event-log.js";
import { decodeCursor, decodeLedgerCursor, type Head, type Position } from "../log/position.js";
import type { Logger } from "../ops/logger.js";
import type { Selector } from "../routing/selector.js";
import type { DeviceState } from "../state/device-store.js";
import { catchUpFromLedger, type DeepResumeDeps } from "./deep-resume.js";

export interface CatchUpDeps extends DeepResumeDeps {
  logger: Logger;
}

/** What a resuming device missed, read from the hub's log or Odoo's ledger. */
export interface Catchup {
  events: NormalizedEvent[];
  /** The head the history read saw: everything up to it has been considered. */
  through: Head;
  source: "hub" | "odoo" | "none";
  resync?: ResyncReason;
  /** Set when the log compacted the events already: how many it left out. */
  compacted?: number;
}

/** Who is resuming, from where, and what they select. */
export interface Resumer {
  tenant: string;
  uid: number;
  deviceId: string;
  appType: DeviceState["appType"];
  /** The handshake's cursor, else undefined. */
  cursor: string | undefined;
  /** The device's last ack, from its stored sync state. */
  acked: Position | null;
  selector: Selector;
  /**
   * The log may compact the read (the device asked for it and has no record rules: with rules,
   * a record's latest event may not pass where an older one does, so the hub compacts after
   * filtering).
   */
  compact: boolean;
}

type Start =
  { kind: "hub"; position: Position } | { kind: "ledger"; ledgerId: number } | { kind: "none" };

/** From the hub's log when it proves continuity, else from Odoo's ledger, else `resync`. */
export async function readMissed(resumer: Resumer, deps: CatchUpDeps): Promise<Catchup> {
  const { tenant, selector } = resumer;
  const start = startOf(resumer.cursor, resumer.acked);
  if (start.kind === "hub") {
    const read: ReadResult & { left?: number } = resumer.compact
      ? await deps.log.readLatestSince(tenant, start.position, selector)
      : await deps.log.readSince(tenant, start.position, selector);
    if (read.ok) {
      const compacted = read.left !== undefined && { compacted: read.left };
      return { events: read.events, through: read.head, source: "hub", ...compacted };
    }
    // The cursor names the ledger watermark it was issued at: no need to ask Odoo.
    const deep = await fromOdoo(resumer, deps, start.position.ledger);
    return deep ?? { events: [], through: read.head, source: "none", resync: read.reason };
  }
  const deep = await fromOdoo(resumer, deps, start.kind === "ledger" ? start.ledgerId : undefined);
  if (deep !== undefined) return deep;
  const through = await deps.log.head(tenant);
  if (start.kind === "ledger")
    return { events: [], through, source: "none", resync: "cursor_expired" };
  return { events: [], through, source: "none" };
}

/** The handshake's cursor (a hub or a ledger position), else the device's last ack. */
function startOf(cursor: string | undefined, acked: Position | null): Start {
  const position = cursor === undefined ? acked : decodeCursor(cursor);
  if (position !== undefined && position !== null) return { kind: "hub", position };
  const ledgerId = cursor === undefined ? undefined : decodeLedgerCursor(cursor);
  return ledgerId === undefined ? { kind: "none" } : { kind: "ledger", ledgerId };
}

/** Deep resume from the device's ledger position (its cursor, else Odoo's user.sync.state). */
async function fromOdoo(resumer: Resumer, deps: CatchUpDeps, ledgerId: number | undefined) {
  const from = ledgerId ?? (await syncedLedgerId(resumer, deps));
  if (from === undefined) return undefined;
  return catchUpFromLedger(resumer.tenant, from, resumer.selector, deps);
}

/** The device's `user.sync.state.last_event_id`; undefined if it never synced or Odoo is away. */
async function syncedLedgerId(resumer: Resumer, deps: CatchUpDeps): Promise<number | undefined> {
  const client = deps.odoo.get(resumer.tenant)?.client;
  if (client === undefined) return undefined;
  try {
    const state = await client.syncState({
      user_id: resumer.uid,
      device_id: resumer.deviceId,
      app_type: resumer.appType,
    });
    return state.sync_count === 0 && state.last_event_id === 0 ? undefined : state.last_event_id;
  } catch (error) {
    deps.logger.warn({ err: error, tenant: resumer.tenant }, "cannot read user.sync.state");
    return undefined;
  }
}
