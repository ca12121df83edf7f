import type { NormalizedEvent } from "@odoo-live/protocol";
import type { EventLog, LoggedEvent } from "../log/event-log.js";
import { decodeCursor, type Position } from "../log/position.js";
import { roomsOfEvent, tenantRoom } from "../routing/rooms.js";
import { selects, type Selector } from "../routing/selector.js";
import type { HubServer } from "./types.js";

interface Replay {
  tenant: string;
  selector: () => Selector;
  buffer: NormalizedEvent[];
}

/**
 * Delivers the log's live feed to this node's sockets. Every node receives every live event of
 * its tenants from the log and emits to its local rooms only (one encode per event). A socket
 * that is replaying is not in its rooms yet: its live events wait in a buffer, and `finish`
 * hands over those the history read did not cover, so the seam has no gap and no repeat.
 */
export class Dispatcher {
  private readonly replays = new Map<string, Replay>();
  /** The last live position seen per tenant, to notice a feed that skipped events. */
  private readonly lastSeen = new Map<string, Position>();
  private readonly unsubscribers: (() => void)[] = [];

  constructor(
    private readonly io: HubServer,
    private readonly log: EventLog,
  ) {}

  start(tenants: Iterable<string>): void {
    for (const tenant of tenants) {
      this.unsubscribers.push(this.log.subscribe(tenant, (logged) => this.deliver(tenant, logged)));
    }
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
  }

  /** Starts buffering a socket's live events; call before reading its history. */
  beginReplay(socketId: string, tenant: string, selector: () => Selector): void {
    this.replays.set(socketId, { tenant, selector, buffer: [] });
  }

  isReplaying(socketId: string): boolean {
    return this.replays.has(socketId);
  }

  /** Ends buffering; returns the buffered events after `throughSeq`, in order. */
  finishReplay(socketId: string, throughSeq: number): NormalizedEvent[] {
    const replay = this.replays.get(socketId);
    this.replays.delete(socketId);
    return (replay?.buffer ?? []).filter((event) => event.seq > throughSeq);
  }

  cancelReplay(socketId: string): void {
    this.replays.delete(socketId);
  }

  /**
   * A shared log's live feed (Redis Pub/Sub) is at most once: a message published while this
   * node's subscriber reconnected is gone. A seq that does not follow the last one, or a new
   * epoch, says so.
   */
  private skipped(tenant: string, event: NormalizedEvent): boolean {
    const position = decodeCursor(event.cursor);
    if (position === undefined) return false;
    const last = this.lastSeen.get(tenant);
    this.lastSeen.set(tenant, position);
    return last !== undefined && (last.epoch !== position.epoch || position.seq !== last.seq + 1);
  }

  /** Sends the tenant's sockets away to resume from their cursors, which reads the log. */
  private resumeAll(tenant: string): void {
    this.io.local.in(tenantRoom(tenant)).disconnectSockets(true);
    for (const [socketId, replay] of this.replays) {
      if (replay.tenant === tenant) this.io.local.in(socketId).disconnectSockets(true);
    }
  }

  private deliver(tenant: string, { event, uids }: LoggedEvent): void {
    if (this.skipped(tenant, event)) this.resumeAll(tenant);
    const rooms = roomsOfEvent(tenant, event.model, uids);
    // Socket.IO encodes a packet before it looks for recipients; most events of a busy tenant
    // (a pull backlog, say) have none on a given node.
    const local = this.io.sockets.adapter.rooms;
    if (rooms.some((room) => local.has(room))) this.io.local.to(rooms).emit("event", event);
    for (const replay of this.replays.values()) {
      if (replay.tenant === tenant && selects(replay.selector(), event.model, uids)) {
        replay.buffer.push(event);
      }
    }
  }
}
