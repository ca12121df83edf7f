import type { ClientToServerEvents, ServerToClientEvents } from "@odoo-live/protocol";
import { io, type Socket } from "socket.io-client";
import type { ResolvedOptions } from "./options.js";

export type HubSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** socket.io-client's form of a handshake `auth` computed anew for every (re)connect. */
export type AuthProvider = (send: (auth: object) => void) => void;

/** A socket that does not connect until told to. */
export function createSocket(options: ResolvedOptions, auth: AuthProvider): HubSocket {
  const backoff = options.reconnect;
  return io(options.url, {
    path: "/socket.io",
    // Skipping HTTP long-polling saves the upgrade round trips and needs no sticky sessions
    // across hub nodes; apps behind proxies without WebSocket can override it.
    transports: ["websocket"],
    reconnection: backoff !== false,
    ...(backoff === false
      ? {}
      : {
          reconnectionDelay: backoff.minDelayMs,
          reconnectionDelayMax: backoff.maxDelayMs,
          randomizationFactor: 0.5,
        }),
    ...options.socketOptions,
    auth,
    autoConnect: false,
    // One connection per client: two clients for one URL must not share a Manager.
    forceNew: true,
  });
}
