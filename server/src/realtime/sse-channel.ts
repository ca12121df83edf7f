import type { ServerResponse } from "node:http";
import type { SessionChannel } from "./channel.js";
import type { HubDisconnect } from "./disconnect-reason.js";
import { eventFrame, type SseRooms } from "./sse-rooms.js";

/** More than this waiting unsent for one client: it is too slow; it resumes from its cursor. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** A comment line this often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 25_000;

/**
 * A device session over Server-Sent Events: `event`, `ready`, `resync`, `token_expiring` and
 * `expired` as SSE messages (`event:` the name, `data:` the JSON), the cursor as the message id
 * of `event`, `ready` and `resync`, so that a browser's automatic reconnect resumes from it.
 */
export class SseChannel implements SessionChannel {
  private readonly joined = new Set<string>();
  private readonly keepalive: NodeJS.Timeout;
  private ended = false;
  reason: HubDisconnect | undefined;

  constructor(
    readonly id: string,
    private readonly response: ServerResponse,
    private readonly registry: SseRooms,
  ) {
    this.keepalive = setInterval(() => this.write(": keepalive\n\n"), KEEPALIVE_MS);
    this.keepalive.unref();
    registry.opened(this);
  }

  emit(name: string, payload: unknown): void {
    if (name === "event")
      return this.write(eventFrame(payload as Parameters<typeof eventFrame>[0]));
    const cursor = (payload as { cursor?: unknown }).cursor;
    const id = typeof cursor === "string" ? `id: ${cursor}\n` : "";
    this.write(`${id}event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
  }

  join(rooms: readonly string[]): void {
    for (const room of rooms) this.joined.add(room);
    this.registry.join(this, rooms);
  }

  leave(room: string): void {
    this.joined.delete(room);
    this.registry.leave(this, room);
  }

  rooms(): readonly string[] {
    return [...this.joined];
  }

  write(frame: string): void {
    if (this.ended) return;
    this.response.write(frame);
    if (this.response.writableLength > MAX_BUFFERED_BYTES) this.disconnect("replay_behind");
  }

  disconnect(reason: HubDisconnect): void {
    this.reason ??= reason;
    this.close();
    this.response.end();
  }

  /** Out of every room; nothing more is written. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    clearInterval(this.keepalive);
    for (const room of [...this.joined]) this.leave(room);
    this.registry.closed(this);
  }
}
