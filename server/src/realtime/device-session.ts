import type { ModelDomains, NormalizedEvent } from "@odoo-live/protocol";
import type { Config } from "../config/config.js";
import { compact, type Compacted } from "../log/compact.js";
import type { LoggedEvent } from "../log/event-log.js";
import { encodeCursor } from "../log/position.js";
import type { Metrics } from "../ops/metrics.js";
import type { ThrottledLog } from "../ops/throttled-log.js";
import type { SyncStateMirror } from "../odoo/sync-state-mirror.js";
import { DomainError } from "../routing/domain.js";
import { roomsOfDevice } from "../routing/rooms.js";
import { NO_RULES, ruleSet, type RuleSet } from "../routing/rules.js";
import { allows, permitted, selects, type Selector } from "../routing/selector.js";
import type { DeviceKey, DeviceState, DeviceStore } from "../state/device-store.js";
import { checkAck } from "./ack-check.js";
import { readMissed, type Catchup, type CatchUpDeps, type Resumer } from "./catch-up.js";
import type { SessionChannel } from "./channel.js";
import type { HubDisconnect } from "./disconnect-reason.js";
import type { Deadline, Due } from "./deadlines.js";
import type { Dispatcher } from "./dispatcher.js";
import { checkGrant, type Grant } from "./grant.js";
import type { HandshakeFacts } from "./handshake.js";
import { joinSeam } from "./replay-seam.js";
import { RequestError } from "./request-error.js";

export interface SessionDeps extends CatchUpDeps {
  config: Config;
  devices: DeviceStore;
  dispatcher: Dispatcher;
  metrics: Metrics;
  /** Lines a flood could repeat (resyncs, failed resumes), rate limited. */
  notices: ThrottledLog;
  /** Per tenant whose acks are written to Odoo's `user.sync.state`. */
  mirrors: ReadonlyMap<string, SyncStateMirror>;
}

type Phase = "handshaken" | "replaying" | "live" | "closed";

/**
 * Live events that arrive while a replay runs wait here; past this many the session gives up and
 * closes, and the device resumes from its cursor (a replay that slow would never catch up).
 */
const MAX_BUFFERED = 10_000;
/** Longest a resume waits for the live feed to reach its history's head (Dispatcher.reached). */
const FEED_GRACE_MS = 50;

/**
 * One connected device, from its handshake to its close: it owns the token's grant (and its
 * expiry), the device's subscriptions, the rooms it sits in, and the seam between replayed and
 * live events. handshaken → replaying (history is read; live events are buffered) → live (in
 * its rooms; the dispatcher's broadcasts reach it) → closed.
 */
export class DeviceSession implements Due {
  private phase: Phase = "handshaken";
  private grant: Grant;
  /** What the device subscribed to (its stored set); the token may allow less of it. */
  private subscribed: ReadonlySet<string> = new Set();
  /** The device's own narrowing of its subscriptions, stored with them. */
  private where: ModelDomains = {};
  private current: Selector;
  /** The token's record rules and the device's narrowing, compiled (shared by equal devices). */
  private rules: RuleSet = NO_RULES;
  private buffered: NormalizedEvent[] = [];
  private rooms: string[] = [];
  /** The next of the token's deadlines: `token_expiring`, then the session's end. */
  private deadline: Deadline | undefined;
  /** The token's `token_expiring` was sent: its next deadline is `exp`. */
  private warned = false;
  /** For the replay's duration (connection to ready). */
  private readonly connectedAt = Date.now();

  constructor(
    private readonly channel: SessionChannel,
    private readonly facts: HandshakeFacts,
    private readonly deps: SessionDeps,
  ) {
    this.grant = facts.grant;
    this.current = this.buildSelector();
    this.rules = this.buildRules();
  }

  get key(): DeviceKey {
    return { tenant: this.grant.tenant, uid: this.grant.uid, deviceId: this.facts.deviceId };
  }

  get tenant(): string {
    return this.grant.tenant;
  }

  get appType(): HandshakeFacts["appType"] {
    return this.facts.appType;
  }

  get closed(): boolean {
    return this.phase === "closed";
  }

  get replaying(): boolean {
    return this.phase === "replaying";
  }

  /** The subscriptions the token allows. */
  get models(): string[] {
    return [...this.current.models];
  }

  /**
   * Resumes the device; if that fails (its store is away), logs it and disconnects the device,
   * which reconnects and resumes from its cursor. A store outage fails every device's resume:
   * one line a second per tenant, not one each.
   */
  start(): void {
    this.resume().catch((error: unknown) => {
      const fields = { err: error, tenant: this.tenant };
      this.deps.notices.error(this.tenant, fields, "resume failed; disconnecting");
      this.disconnect("resume_failed");
    });
  }

  /**
   * Replays what the device missed since its cursor (the handshake's, else its last ack), the
   * live events that arrived meanwhile, then `ready`; then joins its rooms.
   */
  private async resume(): Promise<void> {
    const { devices, dispatcher } = this.deps;
    const device = await devices.connect(this.key, {
      appType: this.facts.appType,
      models: this.facts.requestedModels,
      where: this.facts.where,
    });
    if (this.closed) return;
    this.take(device);
    this.current = this.buildSelector();
    this.rules = this.buildRules();
    this.phase = "replaying";
    this.armDeadlines();
    dispatcher.beginReplay(this);
    try {
      const catchup = await readMissed(this.resumer(device), this.deps);
      await dispatcher.reached(this.tenant, catchup.through, FEED_GRACE_MS);
      if (this.closed) return;
      await this.goLive(catchup);
    } finally {
      dispatcher.endReplay(this);
    }
  }

  /** A live event of the session's tenant, offered while it replays (the rooms are not joined). */
  offer({ event, uids }: LoggedEvent): void {
    if (this.phase !== "replaying" || !selects(this.current, event.model, uids)) return;
    if (!this.rules.passes(event)) return;
    this.buffered.push(event);
    if (this.buffered.length > MAX_BUFFERED) {
      this.deps.logger.warn({ tenant: this.tenant }, "replay fell behind the live feed; closing");
      this.disconnect("replay_behind");
    }
  }

  /** Subscribes to `models`, each narrowed by its domain in `where` (never widened). */
  async subscribe(models: readonly string[], where?: ModelDomains): Promise<string[]> {
    const forbidden = models.filter((m) => !allows(this.grant.allowed, m));
    if (forbidden.length > 0) {
      const message = `token does not allow: ${forbidden.join(", ")}`;
      throw new RequestError({ code: "model_forbidden", message });
    }
    checkWhere(where);
    await this.changed(this.deps.devices.addModels(this.key, models, where));
    return this.models;
  }

  async unsubscribe(models: readonly string[]): Promise<string[]> {
    await this.changed(this.deps.devices.removeModels(this.key, models));
    return this.models;
  }

  /** Moves the device's sync state to `cursor`: never backwards, never past what it was sent. */
  async ack(cursor: string, events: number): Promise<string> {
    const { devices, log, mirrors } = this.deps;
    const seen = this.deps.dispatcher.seen(this.tenant);
    const checked = await checkAck(log, this.tenant, cursor, seen);
    const mirror = mirrors.get(this.tenant);
    if (checked.kind === "ledger") {
      mirror?.record(this.mirrored(), checked.ledgerId, events);
      return cursor;
    }
    const at = new Date();
    const result = await devices.ack(this.key, { position: checked.position, events, at });
    if (result.moved && mirror !== undefined) {
      const ledgerId = await log.ledgerAt(this.tenant, checked.position.seq);
      if (ledgerId !== null) mirror.record(this.mirrored(), ledgerId, events);
    }
    return encodeCursor(result.acked);
  }

  /** Takes a new token for the live session: same tenant and user; its models apply at once. */
  async refresh(token: string): Promise<{ models: string[]; expiresAt: string }> {
    const checked = checkGrant(token, this.deps.config, this.grant);
    if (!checked.ok) throw new RequestError({ code: checked.code, message: checked.message });
    this.grant = checked.grant;
    await this.reselect();
    this.armDeadlines();
    this.deps.logger.debug({ ...this.key, expiresAt: this.grant.expiresAt }, "session refreshed");
    return { models: this.models, expiresAt: new Date(this.grant.expiresAt).toISOString() };
  }

  /** Ends the connection from the hub's side; the client resumes from its cursor. */
  disconnect(reason: HubDisconnect): void {
    this.channel.disconnect(reason);
  }

  /** The socket disconnected (for whatever reason). */
  close(): void {
    if (this.phase === "live") this.deps.dispatcher.rules.remove(this.tenant, this.rules);
    this.phase = "closed";
    this.deadline?.cancel();
    this.buffered = [];
  }

  /** From here to `ready` and the rooms nothing awaits, so no live event slips in between. */
  private async goLive(catchup: Catchup): Promise<void> {
    if (Date.now() >= this.grant.expiresAt) return this.expire();
    const { metrics } = this.deps;
    const through = encodeCursor(catchup.through);
    const missed = catchup.events.filter((event) => this.rules.passes(event));
    const compacted = this.compacted(catchup, missed);
    const history = compacted?.events ?? missed;
    const seam = joinSeam(history, catchup.through.seq, through, this.buffered);
    this.buffered = [];
    if (catchup.resync !== undefined) {
      metrics.resyncs.inc({ tenant: this.tenant, reason: catchup.resync });
      const resync = { ...this.key, reason: catchup.resync };
      this.deps.notices.info(`${this.tenant}:${catchup.resync}`, resync, "resync sent");
      this.channel.emit("resync", { reason: catchup.resync, cursor: through });
    }
    for (const event of seam.events) this.channel.emit("event", event);
    metrics.replayed.inc({ tenant: this.tenant }, history.length);
    this.channel.emit("ready", {
      tenant: this.tenant,
      uid: this.grant.uid,
      deviceId: this.facts.deviceId,
      cursor: seam.cursor,
      recovered: catchup.source !== "none",
      replayed: history.length,
      source: catchup.source,
      models: this.models,
      ...(compacted !== undefined && { compacted: compacted.left }),
    });
    this.phase = "live";
    this.deps.dispatcher.rules.add(this.tenant, this.rules);
    this.observeReplay(history.length, catchup.source, seam.cursor);
    await this.enter(roomsOfDevice(this.tenant, this.current, this.rules.id));
  }

  /** What a compacted catch-up sends, unless the log compacted it already; else undefined. */
  private compacted(catchup: Catchup, missed: NormalizedEvent[]): Compacted | undefined {
    if (this.facts.compact !== true) return undefined;
    if (catchup.compacted === undefined) return compact(missed);
    return { events: missed, left: catchup.compacted };
  }

  /** Joins rooms; the membership applies at once, the promise covers a cross-node adapter. */
  private async enter(rooms: string[]): Promise<void> {
    this.rooms = [...new Set([...this.rooms, ...rooms])];
    await this.channel.join(rooms);
  }

  private leave(rooms: readonly string[]): void {
    const gone = new Set(rooms);
    this.rooms = this.rooms.filter((room) => !gone.has(room));
    for (const room of rooms) this.channel.leave(room);
  }

  /** The stored subscriptions changed: take the store's answer as the truth. */
  private async changed(update: Promise<DeviceState>): Promise<void> {
    this.take(await update);
    await this.reselect();
  }

  private take(device: DeviceState): void {
    this.subscribed = new Set(device.models);
    this.where = device.where;
  }

  /** Subscriptions or grant changed: new selector and rules, and (when live) rooms to match. */
  private async reselect(): Promise<void> {
    const before = this.rules;
    this.current = this.buildSelector();
    this.rules = this.buildRules();
    if (this.phase !== "live") return;
    const { rules } = this.deps.dispatcher;
    rules.add(this.tenant, this.rules);
    rules.remove(this.tenant, before);
    const wanted = roomsOfDevice(this.tenant, this.current, this.rules.id);
    this.leave(this.rooms.filter((room) => !wanted.includes(room)));
    await this.enter(wanted.filter((room) => !this.rooms.includes(room)));
  }

  private buildSelector(): Selector {
    const allowed = this.grant.allowed;
    return { uid: this.grant.uid, models: permitted(this.subscribed, allowed), allowed };
  }

  /** The grant's rules and the narrowing of the subscriptions the token allows. */
  private buildRules(): RuleSet {
    const { companies, domains } = this.grant;
    const where = Object.fromEntries(
      Object.entries(this.where).filter(([model]) => this.current.models.has(model)),
    );
    return ruleSet({ companies, domains, where });
  }

  /** `token_expiring` some time before `exp` (at once if that is past), then the end at `exp`. */
  private armDeadlines(): void {
    this.deadline?.cancel();
    this.warned = false;
    const warnAt = this.grant.expiresAt - this.deps.config.tokenExpiringLeadMs;
    this.deadline = this.deps.dispatcher.deadlines.add(warnAt, this);
  }

  /** A deadline of the token came (Deadlines calls it; not for other callers). */
  due(): void {
    if (this.warned) return this.expire();
    this.warned = true;
    this.warnExpiring();
    this.deadline = this.deps.dispatcher.deadlines.add(this.grant.expiresAt, this);
  }

  private warnExpiring(): void {
    if (this.closed) return;
    const expiresAt = new Date(this.grant.expiresAt).toISOString();
    const message = `the token expires at ${expiresAt}: send refresh with a new one`;
    this.channel.emit("token_expiring", { code: "token_expiring", expiresAt, message });
  }

  /** Out of its rooms first, so that no broadcast reaches it past `exp`, then told and closed. */
  private expire(): void {
    if (this.closed) return;
    this.leave(this.channel.rooms());
    this.close();
    this.deps.metrics.expiredSessions.inc({ tenant: this.tenant });
    const message = "the token expired; reconnect with a new token and your cursor";
    this.channel.emit("expired", { code: "token_expired", message });
    this.channel.disconnect("token_expired");
  }

  /** The replay's size and duration, and a debug line for the device's `ready`. */
  private observeReplay(replayed: number, source: Catchup["source"], cursor: string): void {
    const { metrics, logger } = this.deps;
    const labels = { tenant: this.tenant, source };
    const ms = Date.now() - this.connectedAt;
    metrics.replaySize.observe(labels, replayed);
    metrics.replayDuration.observe(labels, ms / 1000);
    logger.debug({ ...this.key, replayed, source, cursor, ms }, "device ready");
  }

  private resumer(device: DeviceState): Resumer {
    const { tenant, uid } = this.grant;
    const { deviceId, appType, cursor } = this.facts;
    const compact = this.facts.compact === true && this.rules.id === NO_RULES.id;
    const acked = device.acked;
    return { tenant, uid, deviceId, appType, cursor, acked, selector: this.current, compact };
  }

  private mirrored() {
    return { uid: this.grant.uid, deviceId: this.facts.deviceId, appType: this.facts.appType };
  }
}

/** A subscription's narrowing must compile (its shape the protocol's schema checked). */
function checkWhere(where: ModelDomains | undefined): void {
  try {
    ruleSet({ where });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw new RequestError({ code: "invalid_request", message: `where: ${error.message}` });
  }
}
