import type { NormalizedEvent, ResyncReason } from "@odoo-live/protocol";
import { decodeCursor, decodeLedgerCursor, encodeCursor, type Position } from "../log/position.js";
import type { Logger } from "../ops/logger.js";
import { catchUpFromLedger, type DeepResumeDeps } from "./deep-resume.js";
import type { Metrics } from "../ops/metrics.js";
import { roomsOfDevice } from "../routing/rooms.js";
import { permitted } from "../routing/selector.js";
import type { DeviceStore } from "../state/device-store.js";
import type { Dispatcher } from "./dispatcher.js";
import { currentSelector, deviceKeyOf, selectorOf } from "./session.js";
import type { HubSocket, SessionData } from "./types.js";

export interface ResumeDeps extends DeepResumeDeps {
  devices: DeviceStore;
  dispatcher: Dispatcher;
  metrics: Metrics;
  logger: Logger;
}

interface Catchup {
  events: NormalizedEvent[];
  /** The head the history read saw: everything up to it has been considered. */
  through: Position;
  source: "hub" | "odoo" | "none";
  resync?: ResyncReason;
}

type Start =
  { kind: "hub"; position: Position } | { kind: "ledger"; ledgerId: number } | { kind: "none" };

/**
 * Brings a new connection up to date: replay what the device missed since its cursor (the
 * handshake's, else its last ack), then the live events that arrived meanwhile, then `ready`.
 */
export async function resume(socket: HubSocket, deps: ResumeDeps): Promise<void> {
  const session = socket.data;
  const device = await deps.devices.connect(deviceKeyOf(session), {
    appType: session.appType,
    models: session.requestedModels,
  });
  session.models = [
    ...permitted(device.models, session.allowed === "*" ? "*" : new Set(session.allowed)),
  ];
  const start = startOf(session.cursor, device.acked);
  deps.dispatcher.beginReplay(socket.id, session.tenant, currentSelector(session));
  let catchup: Catchup;
  try {
    catchup = await readMissed(start, socket, deps);
  } catch (error) {
    deps.dispatcher.cancelReplay(socket.id);
    throw error;
  }
  if (!socket.connected) {
    deps.dispatcher.cancelReplay(socket.id);
    return;
  }
  // From here to `ready` nothing awaits, so no live event can slip between replay and rooms.
  deliver(socket, catchup, deps);
}

/** The handshake's cursor (a hub or a ledger position), else the device's last ack. */
function startOf(cursor: string | undefined, acked: Position | null): Start {
  const position = cursor === undefined ? acked : decodeCursor(cursor);
  if (position !== undefined && position !== null) return { kind: "hub", position };
  const ledgerId = cursor === undefined ? undefined : decodeLedgerCursor(cursor);
  return ledgerId === undefined ? { kind: "none" } : { kind: "ledger", ledgerId };
}

/** From the hub's log when it proves continuity, else from Odoo's ledger, else `resync`. */
async function readMissed(start: Start, socket: HubSocket, deps: ResumeDeps): Promise<Catchup> {
  const { tenant } = socket.data;
  if (start.kind === "hub") {
    const read = await deps.log.readSince(tenant, start.position, selectorOf(socket.data));
    if (read.ok) return { events: read.events, through: read.head, source: "hub" };
    const deep = await fromOdoo(socket, deps, undefined);
    return deep ?? { events: [], through: read.head, source: "none", resync: read.reason };
  }
  const deep = await fromOdoo(socket, deps, start.kind === "ledger" ? start.ledgerId : undefined);
  if (deep !== undefined) return deep;
  const through = await deps.log.head(tenant);
  if (start.kind === "ledger")
    return { events: [], through, source: "none", resync: "cursor_expired" };
  return { events: [], through, source: "none" };
}

/** Deep resume from the device's ledger position (its cursor, else Odoo's user.sync.state). */
async function fromOdoo(socket: HubSocket, deps: ResumeDeps, ledgerId: number | undefined) {
  const from = ledgerId ?? (await syncedLedgerId(socket.data, deps));
  if (from === undefined) return undefined;
  return catchUpFromLedger(socket.data, from, selectorOf(socket.data), deps);
}

/** The device's `user.sync.state.last_event_id`; undefined if it never synced or Odoo is away. */
async function syncedLedgerId(session: SessionData, deps: ResumeDeps): Promise<number | undefined> {
  const client = deps.odoo.get(session.tenant)?.client;
  if (client === undefined) return undefined;
  try {
    const state = await client.syncState({
      user_id: session.uid,
      device_id: session.deviceId,
      app_type: session.appType,
    });
    return state.sync_count === 0 && state.last_event_id === 0 ? undefined : state.last_event_id;
  } catch (error) {
    deps.logger.warn({ err: error, tenant: session.tenant }, "cannot read user.sync.state");
    return undefined;
  }
}

function deliver(socket: HubSocket, catchup: Catchup, deps: ResumeDeps): void {
  const session = socket.data;
  if (catchup.resync !== undefined) {
    deps.metrics.resyncs.inc({ tenant: session.tenant, reason: catchup.resync });
    socket.emit("resync", { reason: catchup.resync, cursor: encodeCursor(catchup.through) });
  }
  for (const event of catchup.events) socket.emit("event", event);
  const late = deps.dispatcher.finishReplay(socket.id, catchup.through.seq);
  for (const event of late) socket.emit("event", event);
  void socket.join(roomsOfDevice(session.tenant, selectorOf(session)));
  deps.metrics.replayed.inc({ tenant: session.tenant }, catchup.events.length);
  socket.emit("ready", {
    tenant: session.tenant,
    uid: session.uid,
    deviceId: session.deviceId,
    cursor: late.at(-1)?.cursor ?? encodeCursor(catchup.through),
    recovered: catchup.source !== "none",
    replayed: catchup.events.length,
    source: catchup.source,
    models: session.models,
  });
}
