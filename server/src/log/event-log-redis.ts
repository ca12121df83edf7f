import { checkedPrefix, tenantKeys, type TenantKeys } from "../ops/redis-keys.js";
import { readLua, type RedisClient } from "../ops/redis-scripts.js";
import type { NormalizedEvent } from "@odoo-live/protocol";
import { allows, type Selector } from "../routing/selector.js";
import type {
  AppendInput,
  AppendResult,
  EventLog,
  LiveListener,
  LoggedEvent,
  ReadResult,
  Retention,
} from "./event-log.js";
import { DEDUPE_MAX_KEYS } from "./dedupe-window.js";
import { continuity, newEpoch, type Position } from "./position.js";

export interface RedisEventLogOptions {
  retention: Retention;
  dedupeMs: number;
  /** Most dedupe keys kept per tenant (default DEDUPE_MAX_KEYS); past it the oldest go first. */
  dedupeMaxKeys?: number;
  /** The clock of every age (retention, dedupe window); Redis' own clock is never used. */
  now?: () => number;
  /** Prefix of every key and channel (default `odoo-live:`); no braces, the tenant is the hash tag. */
  prefix?: string;
  /**
   * Called when a live listener throws (the append itself has succeeded), and with errors of
   * the subscriber connection.
   */
  onListenerError?: (error: unknown) => void;
}

function lua(operation: string): string {
  return readLua("log", `event-log-${operation}.lua`);
}

const TRIM = lua("trim");
/** Loaded once per process; `numberOfKeys` absent means the caller passes the count first. */
const SCRIPTS = {
  append: { lua: `${TRIM}\n${lua("append")}`, numberOfKeys: 8 },
  state: { lua: `${TRIM}\n${lua("state")}`, numberOfKeys: 7 },
  read: { lua: lua("read") },
  markLedger: { lua: lua("mark-ledger"), numberOfKeys: 2 },
};

type Script = (...args: (string | number)[]) => Promise<unknown>;

/** The tenant's position state, read atomically (after trimming by age). */
interface TenantState {
  head: Position;
  trimmedThrough: number;
  trimmedLedger: number;
  firstMark: number | null;
}

interface Channel {
  listeners: Set<LiveListener>;
  /** Settles once this process's SUBSCRIBE is confirmed; unset after it failed. */
  ready?: Promise<void>;
}

/**
 * The log in Redis, shared by every hub process: one Lua script per operation over keys
 * hash-tagged by tenant (see ops/redis-keys.ts), live events through Pub/Sub on a second
 * connection. Takes ownership of `redis` (closes it); it must not use ioredis' `keyPrefix`.
 */
export class RedisEventLog implements EventLog {
  private readonly subscriber: RedisClient;
  private readonly scripts: Record<keyof typeof SCRIPTS, Script>;
  private readonly channels = new Map<string, Channel>();
  private readonly prefix: string;
  private readonly now: () => number;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RedisEventLogOptions,
  ) {
    this.prefix = checkedPrefix(options.prefix ?? "odoo-live:");
    if (redis.options.keyPrefix) throw new Error("RedisEventLog needs a client without keyPrefix");
    this.now = options.now ?? Date.now;
    this.scripts = defineScripts(redis);
    this.subscriber = redis.duplicate();
    this.subscriber.on("message", (channel: string, message: string) =>
      this.deliver(channel, message),
    );
    // The subscriber is the log's own connection: its errors go to onListenerError, or nowhere
    // (appends and reads fail, and say so, on the main connection).
    this.subscriber.on("error", options.onListenerError ?? (() => undefined));
  }

  async append(tenant: string, input: AppendInput): Promise<AppendResult> {
    const keys = this.keys(tenant);
    // Live listeners of this process subscribed before this append; the event must reach them.
    await this.live(keys.channel);
    const { draft, uids, dedupe } = input;
    const now = this.now();
    const reply = (await this.scripts.append(
      ...trimKeys(keys),
      keys.dedupe,
      keys.dedupeExpiry,
      ...this.trimArgs(keys, now),
      this.options.dedupeMs,
      keys.channel,
      JSON.stringify(draft),
      JSON.stringify({ at: now, model: draft.model, uids }),
      JSON.stringify(uids),
      draft.origin.updateWebhookId ?? "",
      this.options.dedupeMaxKeys ?? DEDUPE_MAX_KEYS,
      dedupe.check.length,
      ...dedupe.check,
      ...dedupe.remember,
    )) as ["appended" | "duplicate", string];
    const [status, value] = reply;
    return status === "appended"
      ? { status, event: JSON.parse(value) as NormalizedEvent }
      : { status, key: value };
  }

  /**
   * Checks continuity first, then reads only the selected indexes up to the head it checked, and
   * checks again that nothing after `from` was trimmed meanwhile.
   */
  async readSince(tenant: string, from: Position, selector: Selector): Promise<ReadResult> {
    const keys = this.keys(tenant);
    // A reader who subscribed first must not read history before its subscription is live.
    await this.live(keys.channel);
    const { head, trimmedThrough } = await this.state(keys);
    const state = continuity(from, head, trimmedThrough);
    if (state !== "ok") return { ok: false, reason: state, head };
    const indexes = [...selector.models].map((model) => keys.model(model));
    indexes.push(keys.user(selector.uid));
    const reply = (await this.scripts.read(
      4 + indexes.length,
      keys.epoch,
      keys.events,
      keys.ledger,
      keys.meta,
      ...indexes,
      head.epoch,
      from.seq,
      head.seq,
    )) as [number, (string | null)[], (string | null)[]] | null;
    // Redis lost the log between the two reads: start over against the new epoch.
    if (reply === null) return this.readSince(tenant, from, selector);
    const [trimmedNow, rows, ledgerIds] = reply;
    const after = continuity(from, head, trimmedNow);
    if (after !== "ok") return { ok: false, reason: after, head };
    const events = rows
      .map((row, i) => withLedgerId(row, ledgerIds[i] ?? null))
      // Events of unselected models came from the user's index: routed, if the token allows.
      .filter((event) => selector.models.has(event.model) || allows(selector.allowed, event.model));
    return { ok: true, events, head };
  }

  async head(tenant: string): Promise<Position> {
    return (await this.state(this.keys(tenant))).head;
  }

  async oldest(tenant: string): Promise<Position> {
    const { head, trimmedThrough } = await this.state(this.keys(tenant));
    return { epoch: head.epoch, seq: trimmedThrough };
  }

  async markLedger(tenant: string, ledgerId: number): Promise<void> {
    const keys = this.keys(tenant);
    await this.scripts.markLedger(keys.seq, keys.marks, padLedgerId(ledgerId));
  }

  async ledgerAt(tenant: string, seq: number): Promise<number | null> {
    const [mark] = await this.redis.zrevrangebyscore(
      this.keys(tenant).marks,
      seq,
      "-inf",
      "LIMIT",
      0,
      1,
    );
    return mark === undefined ? null : Number(mark);
  }

  async ledgerFloor(tenant: string): Promise<number | null> {
    const { firstMark, trimmedLedger } = await this.state(this.keys(tenant));
    return firstMark === null ? null : Math.max(firstMark, trimmedLedger);
  }

  subscribe(tenant: string, listener: LiveListener): () => void {
    const name = this.keys(tenant).channel;
    let channel = this.channels.get(name);
    if (channel === undefined) {
      channel = { listeners: new Set() };
      this.channels.set(name, channel);
    }
    channel.listeners.add(listener);
    // Appends and reads of this process await it; this catch only reports the failure early.
    this.live(name).catch((error: unknown) => this.options.onListenerError?.(error));
    return () => this.unsubscribe(name, listener);
  }

  async close(): Promise<void> {
    this.channels.clear();
    await Promise.all([quit(this.subscriber), quit(this.redis)]);
  }

  private keys(tenant: string): TenantKeys {
    return tenantKeys(this.prefix, tenant);
  }

  /** ARGV[1..5] of the scripts that trim (event-log-trim.lua). */
  private trimArgs(keys: TenantKeys, now: number): (string | number)[] {
    const { maxCount, maxAgeMs } = this.options.retention;
    return [keys.base, now, maxCount, maxAgeMs, newEpoch()];
  }

  private async state(keys: TenantKeys): Promise<TenantState> {
    const reply = (await this.scripts.state(
      ...trimKeys(keys),
      keys.marks,
      ...this.trimArgs(keys, this.now()),
    )) as [string, number, number, string, string | null];
    const [epoch, seq, trimmedThrough, trimmedLedger, firstMark] = reply;
    return {
      head: { epoch, seq },
      trimmedThrough,
      trimmedLedger: trimmedLedger === "inf" ? Infinity : Number(trimmedLedger),
      firstMark: firstMark === null ? null : Number(firstMark),
    };
  }

  /** Resolves once this process's subscription to `name` is live (at once if none is wanted). */
  private live(name: string): Promise<void> {
    const channel = this.channels.get(name);
    if (channel === undefined) return Promise.resolve();
    channel.ready ??= this.subscriber.subscribe(name).then(
      () => undefined,
      (error: unknown) => {
        // The next append or read of this tenant subscribes again.
        channel.ready = undefined;
        throw error;
      },
    );
    return channel.ready;
  }

  private unsubscribe(name: string, listener: LiveListener): void {
    const channel = this.channels.get(name);
    if (channel === undefined || !channel.listeners.delete(listener)) return;
    if (channel.listeners.size > 0) return;
    this.channels.delete(name);
    this.subscriber
      .unsubscribe(name)
      .catch((error: unknown) => this.options.onListenerError?.(error));
  }

  private deliver(name: string, message: string): void {
    const listeners = this.channels.get(name)?.listeners;
    if (listeners === undefined) return;
    const logged = JSON.parse(message) as LoggedEvent;
    for (const listener of listeners) {
      try {
        listener(logged);
      } catch (error) {
        this.options.onListenerError?.(error);
      }
    }
  }
}

/** KEYS[1..6] of the scripts that trim (event-log-trim.lua). */
function trimKeys(keys: TenantKeys): string[] {
  return [keys.epoch, keys.seq, keys.events, keys.entries, keys.ledger, keys.meta];
}

function defineScripts(redis: RedisClient): Record<keyof typeof SCRIPTS, Script> {
  const entries = Object.entries(SCRIPTS).map(([operation, definition]) => {
    const name = `odooLiveEventLog_${operation}`;
    redis.defineCommand(name, definition);
    const command = (redis as unknown as Record<string, Script>)[name];
    if (command === undefined) throw new Error(`ioredis did not define ${name}`);
    return [operation, command.bind(redis)] as const;
  });
  return Object.fromEntries(entries) as Record<keyof typeof SCRIPTS, Script>;
}

/** A stored event, with the ledger row a later pull copy taught it. */
function withLedgerId(row: string | null, ledgerId: string | null): NormalizedEvent {
  if (row === null) throw new Error("log index points at a missing event");
  const event = JSON.parse(row) as NormalizedEvent;
  if (ledgerId !== null) event.origin.updateWebhookId ??= Number(ledgerId);
  return event;
}

/** Ledger ids are safe integers: 16 digits make lexical order numeric. */
function padLedgerId(ledgerId: number): string {
  if (!Number.isSafeInteger(ledgerId) || ledgerId < 0) {
    throw new RangeError(`not a ledger id: ${ledgerId}`);
  }
  return String(ledgerId).padStart(16, "0");
}

/**
 * Quits gracefully and waits for the socket to close when connected; otherwise only stops
 * reconnecting (queued commands reject), as there is no socket to wait for.
 */
async function quit(client: RedisClient): Promise<void> {
  if (client.status !== "ready") return client.disconnect();
  const ended = new Promise((resolve) => client.once("end", resolve));
  await client.quit();
  await ended;
}
