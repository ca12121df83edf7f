import type { HubServer, HubSocket } from "./types.js";

/** Why the hub itself ended a connection (Socket.IO's reasons name the others). */
export type HubDisconnect =
  | "token_expired"
  | "session_replaced"
  /** The live feed skipped events: the device resumes from its cursor. */
  | "feed_gap"
  /** The replay fell too far behind the live feed. */
  | "replay_behind"
  | "resume_failed"
  | "shutdown";

const reasons = new WeakMap<HubSocket, HubDisconnect>();

/** Ends the connection from the hub's side, remembering why; the client resumes from its cursor. */
export function disconnectFor(socket: HubSocket, reason: HubDisconnect): void {
  if (!reasons.has(socket)) reasons.set(socket, reason);
  socket.disconnect(true);
}

/** Ends this node's connections in `room`, or all of them (never another node's). */
export function disconnectLocal(io: HubServer, reason: HubDisconnect, room?: string): void {
  const sockets = io.sockets.sockets;
  // Copied first: each disconnect leaves the room (and the map) while the loop runs.
  const ids = [
    ...(room === undefined ? sockets.keys() : (io.sockets.adapter.rooms.get(room) ?? [])),
  ];
  for (const id of ids) {
    const socket = sockets.get(id);
    if (socket !== undefined) disconnectFor(socket, reason);
  }
}

/**
 * The reason a closed connection is counted under: the hub's own, else Socket.IO's (a fixed set:
 * `transport close`, `ping timeout`, `client namespace disconnect`…), in snake case.
 */
export function disconnectReason(socket: HubSocket, socketIoReason: string): string {
  return reasons.get(socket) ?? socketIoReason.replaceAll(" ", "_");
}
