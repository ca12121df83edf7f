import type { NormalizedEvent, ResyncReason } from "@odoo-live/protocol";
import type { EventLog } from "../log/event-log.js";
import { decodeCursor, encodeCursor, type Position } from "../log/position.js";
import type { Metrics } from "../ops/metrics.js";
import { roomsOfDevice } from "../routing/rooms.js";
import { permitted } from "../routing/selector.js";
import type { DeviceStore } from "../state/device-store.js";
import type { Dispatcher } from "./dispatcher.js";
import { deviceKeyOf, selectorOf } from "./session.js";
import type { HubSocket } from "./types.js";

export interface ResumeDeps {
  log: EventLog;
  devices: DeviceStore;
  dispatcher: Dispatcher;
  metrics: Metrics;
}

interface Catchup {
  events: NormalizedEvent[];
  /** The head the history read saw: everything up to it has been considered. */
  through: Position;
  recovered: boolean;
  resync?: ResyncReason;
}

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
  const start =
    session.cursor === undefined ? device.acked : (decodeCursor(session.cursor) ?? null);
  deps.dispatcher.beginReplay(socket.id, session.tenant, () => selectorOf(session));
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

async function readMissed(
  start: Position | null,
  socket: HubSocket,
  deps: ResumeDeps,
): Promise<Catchup> {
  const { tenant } = socket.data;
  if (start === null) return { events: [], through: await deps.log.head(tenant), recovered: false };
  const read = await deps.log.readSince(tenant, start, selectorOf(socket.data));
  if (read.ok) return { events: read.events, through: read.head, recovered: true };
  return { events: [], through: read.head, recovered: false, resync: read.reason };
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
    recovered: catchup.recovered,
    replayed: catchup.events.length,
    source: catchup.recovered ? "hub" : "none",
    models: session.models,
  });
}
