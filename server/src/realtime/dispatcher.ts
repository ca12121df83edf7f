import type { EventLog, LoggedEvent } from "../log/event-log.js";
import { decodeCursor, type Head, type Position } from "../log/position.js";
import type { Metrics } from "../ops/metrics.js";
import { roomsOfEvent, tenantRoom } from "../routing/rooms.js";
import { Deadlines } from "./deadlines.js";
import { LiveRules } from "./live-rules.js";
import { SseRooms } from "./sse-rooms.js";
import { disconnectLocal } from "./disconnect-reason.js";
import type { DeviceSession } from "./device-session.js";
import type { HubServer } from "./types.js";

/**
 * Delivers the log's live feed to this node's sessions. Every node receives every live event of
 * its tenants from the log; live sessions get it through their rooms (one encode per event), and
 * sessions still replaying (not in their rooms yet) are offered it, to send after their history.
 */
export class Dispatcher {
  /** Token expiries of this node's sessions: run before each delivery. */
  readonly deadlines = new Deadlines();
  /** The rule sets of this node's live sessions, each evaluated once per event. */
  readonly rules = new LiveRules();
  /** This node's Server-Sent Events channels by room (Socket.IO's are in its adapter). */
  readonly sse = new SseRooms();
  private readonly replaying = new Map<string, Set<DeviceSession>>();
  /** The last live position seen per tenant, to notice a feed that skipped events. */
  private readonly lastSeen = new Map<string, Position>();
  private readonly unsubscribers: (() => void)[] = [];
  /** Sessions waiting for the feed to reach their history's head (see `reached`). */
  private readonly waiting = new Set<{ tenant: string; head: Position; done: () => void }>();

  constructor(
    private readonly io: HubServer,
    private readonly log: EventLog,
    private readonly metrics: Metrics,
  ) {}

  start(tenants: Iterable<string>): void {
    for (const tenant of tenants) {
      const meters = {
        emitted: this.metrics.emitted.labels({ tenant }),
        latency: this.metrics.emitLatency.labels({ tenant }),
      };
      this.unsubscribers.push(
        this.log.subscribe(tenant, (logged) => this.deliver(tenant, logged, meters)),
      );
    }
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.deadlines.stop();
  }

  /** The last live position this node delivered for the tenant (a lower bound of its head). */
  seen(tenant: string): Position | undefined {
    return this.lastSeen.get(tenant);
  }

  /**
   * Resolves once this node's live feed has delivered the tenant's live events through `head`
   * (a history read's head: its last live event, `head.live`, else its seq), a later epoch's,
   * or after `graceMs`. The feed can lag behind a read: in a Redis Cluster its messages cross
   * the cluster bus, and a session that went live before they came would get them again from
   * its rooms. The grace bounds the wait where a message is lost (Pub/Sub is at most once; the
   * gap check then sends the session away) or the log predates `live`.
   */
  reached(tenant: string, head: Head, graceMs: number): Promise<void> {
    const target = { epoch: head.epoch, seq: head.live ?? head.seq };
    const seen = this.lastSeen.get(tenant);
    if (target.seq === 0 || (seen !== undefined && passed(seen, target))) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = { tenant, head: target, done: () => finish() };
      const timer = setTimeout(() => finish(), graceMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiting.delete(waiter);
        resolve();
      };
      this.waiting.add(waiter);
    });
  }

  /** Offers the tenant's live events to `session` until `endReplay`; call before reading history. */
  beginReplay(session: DeviceSession): void {
    let sessions = this.replaying.get(session.tenant);
    if (sessions === undefined) {
      sessions = new Set();
      this.replaying.set(session.tenant, sessions);
    }
    sessions.add(session);
  }

  endReplay(session: DeviceSession): void {
    const sessions = this.replaying.get(session.tenant);
    sessions?.delete(session);
    if (sessions?.size === 0) this.replaying.delete(session.tenant);
  }

  /**
   * A shared log's live feed (Redis Pub/Sub) is at most once: a message published while this
   * node's subscriber reconnected is gone. An event whose `previous` is not the last one seen,
   * a seq at or below it (a Redis that lost writes gives their seqs again), or a new epoch, says
   * so.
   */
  private skipped(tenant: string, logged: LoggedEvent): boolean {
    const position = decodeCursor(logged.event.cursor);
    if (position === undefined) return false;
    const last = this.lastSeen.get(tenant);
    this.lastSeen.set(tenant, position);
    if (last === undefined) return false;
    if (last.epoch !== position.epoch) return true;
    return logged.previous !== last.seq || position.seq <= last.seq;
  }

  /** Sends the tenant's sockets away to resume from their cursors, which reads the log. */
  private resumeAll(tenant: string): void {
    disconnectLocal(this.io, "feed_gap", tenantRoom(tenant));
    for (const channel of this.sse.in(tenantRoom(tenant))) channel.disconnect("feed_gap");
    for (const session of this.replaying.get(tenant) ?? []) session.disconnect("feed_gap");
  }

  private deliver(tenant: string, logged: LoggedEvent, meters: Meters): void {
    // A session whose token expired leaves its rooms before anything more is sent.
    this.deadlines.runDue();
    if (this.skipped(tenant, logged)) this.resumeAll(tenant);
    const { event, uids } = logged;
    const rooms = roomsOfEvent(tenant, event.model, uids, this.rules.passing(tenant, event));
    // Socket.IO encodes a packet before it looks for recipients; most events of a busy tenant
    // (a pull backlog, say) have none on a given node.
    const local = this.io.sockets.adapter.rooms;
    if (rooms.some((room) => local.has(room))) {
      this.io.local.to(rooms).emit("event", event);
      meters.emitted.inc();
      meters.latency.observe((Date.now() - logged.storedAt) / 1000);
    }
    this.sse.deliver(rooms, event);
    for (const session of this.replaying.get(tenant) ?? []) session.offer(logged);
    const seen = this.lastSeen.get(tenant);
    for (const waiter of this.waiting)
      if (waiter.tenant === tenant && seen !== undefined && passed(seen, waiter.head))
        waiter.done();
  }
}

/** Whether the feed at `seen` has delivered through `head` (or moved to another epoch). */
function passed(seen: Position, head: Position): boolean {
  return seen.epoch !== head.epoch || seen.seq >= head.seq;
}

/** A tenant's delivery metrics, their labels bound once. */
interface Meters {
  emitted: { inc(): void };
  latency: { observe(seconds: number): void };
}
