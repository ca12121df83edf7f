import type { ServerToClientEvents } from "@odoo-live/protocol";
import { disconnectFor, type HubDisconnect } from "./disconnect-reason.js";
import type { HubSocket } from "./types.js";

type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/**
 * Where a device session's messages go and which rooms it sits in: a Socket.IO socket, or a
 * Server-Sent Events stream (sse-channel.ts). The session owns the device's state; the channel
 * only carries it.
 */
export interface SessionChannel {
  readonly id: string;
  emit<E extends keyof ServerToClientEvents>(name: E, payload: Payload<E>): void;
  /** From now on the dispatcher's broadcasts to these rooms reach it. */
  join(rooms: readonly string[]): Promise<void> | void;
  leave(room: string): void;
  /** The rooms it is in. */
  rooms(): readonly string[];
  /** Ends the connection from the hub's side; the client resumes from its cursor. */
  disconnect(reason: HubDisconnect): void;
}

/** A Socket.IO socket as a session's channel. */
export function socketChannel(socket: HubSocket): SessionChannel {
  return {
    id: socket.id,
    emit: (name, payload) => {
      (socket.emit as (event: string, body: unknown) => boolean)(name, payload);
    },
    join: (rooms) => socket.join([...rooms]),
    leave: (room) => void socket.leave(room),
    rooms: () => [...socket.rooms].filter((room) => room !== socket.id),
    disconnect: (reason) => disconnectFor(socket, reason),
  };
}
