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

/**
 * A Socket.IO socket as a session's channel. A class, not an object of closures: one per
 * connected device, so its methods live once on the prototype (BENCHMARKS.md, memory).
 */
export class SocketChannel implements SessionChannel {
  constructor(private readonly socket: HubSocket) {}

  get id(): string {
    return this.socket.id;
  }

  emit<E extends keyof ServerToClientEvents>(name: E, payload: Payload<E>): void {
    (this.socket.emit as (event: string, body: unknown) => boolean)(name, payload);
  }

  join(rooms: readonly string[]): Promise<void> | void {
    return this.socket.join([...rooms]);
  }

  leave(room: string): void {
    void this.socket.leave(room);
  }

  rooms(): readonly string[] {
    return [...this.socket.rooms].filter((room) => room !== this.socket.id);
  }

  disconnect(reason: HubDisconnect): void {
    disconnectFor(this.socket, reason);
  }
}
