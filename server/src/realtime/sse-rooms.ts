import type { NormalizedEvent } from "@odoo-live/protocol";
import type { SseChannel } from "./sse-channel.js";

/**
 * The rooms of this node's Server-Sent Events channels (Socket.IO keeps its own): a live event
 * goes to the channels in any of its rooms, each once, encoded once for all of them.
 */
export class SseRooms {
  private readonly rooms = new Map<string, Set<SseChannel>>();
  /** Every open channel, in rooms or not yet (replaying). */
  private readonly open = new Set<SseChannel>();

  opened(channel: SseChannel): void {
    this.open.add(channel);
  }

  closed(channel: SseChannel): void {
    this.open.delete(channel);
  }

  /** Ends every stream (the hub shuts down): clients reconnect, to another node if there is one. */
  endAll(): void {
    for (const channel of [...this.open]) channel.disconnect("shutdown");
  }

  join(channel: SseChannel, rooms: readonly string[]): void {
    for (const room of rooms) {
      let members = this.rooms.get(room);
      if (members === undefined) {
        members = new Set();
        this.rooms.set(room, members);
      }
      members.add(channel);
    }
  }

  leave(channel: SseChannel, room: string): void {
    const members = this.rooms.get(room);
    members?.delete(channel);
    if (members?.size === 0) this.rooms.delete(room);
  }

  deliver(rooms: readonly string[], event: NormalizedEvent): void {
    const reached = new Set<SseChannel>();
    for (const room of rooms)
      for (const channel of this.rooms.get(room) ?? []) reached.add(channel);
    if (reached.size === 0) return;
    const frame = eventFrame(event);
    for (const channel of reached) channel.write(frame);
  }

  /** The channels in `room` (to send them all away at once). */
  in(room: string): SseChannel[] {
    return [...(this.rooms.get(room) ?? [])];
  }
}

/** One SSE message: its id is the event's cursor, what a reconnect's `Last-Event-ID` resumes from. */
export function eventFrame(event: NormalizedEvent): string {
  return `id: ${event.cursor}\nevent: event\ndata: ${JSON.stringify(event)}\n\n`;
}
