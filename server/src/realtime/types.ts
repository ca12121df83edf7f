import type { ClientToServerEvents, ServerToClientEvents } from "@odoo-live/protocol";
import type { Server, Socket } from "socket.io";

/** Who a socket is: plain data, so that it survives `fetchSockets` across nodes. */
export interface SessionData {
  tenant: string;
  uid: number;
  deviceId: string;
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
