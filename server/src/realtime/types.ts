import type { ClientToServerEvents, ServerToClientEvents } from "@odoo-live/protocol";
import type { Server, Socket } from "socket.io";
import type { DeviceState } from "../state/device-store.js";

/** What the handshake established; plain data so that it survives `fetchSockets` across nodes. */
export interface SessionData {
  tenant: string;
  uid: number;
  deviceId: string;
  appType: DeviceState["appType"];
  /** Models the token allows. */
  allowed: "*" | string[];
  /** The handshake's cursor, if any (already checked to be well-formed). */
  cursor: string | undefined;
  /** The handshake's models, if any: they replace the device's stored set. */
  requestedModels: string[] | undefined;
  /** Current subscriptions the token allows. */
  models: string[];
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- Socket.IO's slot for server-to-server events, unused here
type InterServerEvents = {};

export type HubServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SessionData
>;
export type HubSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SessionData
>;
