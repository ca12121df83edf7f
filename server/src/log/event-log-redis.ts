import type { NormalizedEvent } from "@odoo-live/protocol";
import { z } from "zod";
import { GroupCommit } from "../ops/group-commit.js";
import { checkedPrefix, tenantKeys, type TenantKeys } from "../ops/redis-keys.js";
import { defineScript, type RedisClient, type Script } from "../ops/redis-scripts.js";
import { allows, selects, type Selector } from "../routing/selector.js";
import { compactRead } from "./compact.js";
import { eventOf } from "./event-of.js";
import { RedisLiveFeed } from "./event-log-redis-feed.js";
import { DEDUPE_MAX_KEYS, MAX_STAMPS } from "./dedupe-window.js";
import type {
  AppendInput,
  AppendResult,
  CompactedReadResult,
  EventLog,
  LiveListener,
  LoggedEvent,
  ReadResult,
  Retention,
} from "./event-log.js";
import { continuity, newEpoch, type Head, type Position } from "./position.js";

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

/**
 * Most events per append script call (a pull page is at most 1,000 rows): bounds how long one
 * call holds Redis, as every script does.
 */
const MAX_BATCH = 1000;

/** KEYS[1..8] and ARGV[1..5] of every script that trims (event-log-trim.lua). */
const TRIM_KEYS = [
  "epoch",
  "seq",
  "events",
  "entries",
  "ledger",
  "meta",
  "history",
  "marks",
] as const;
const TRIM_ARGS = ["base", "now", "maxCount", "maxAgeMs", "freshEpoch"] as const;
type TrimKey = (typeof TRIM_KEYS)[number];
type TrimArg = (typeof TRIM_ARGS)[number];

/** Per event of an append (event-log-append.lua), in the script's order. */
const APPEND_ITEM = [
  "draft",
  "entry",
  "uids",
  "ledgerId",
  "history",
  "coverage",
  "rows",
  "content",
  "record",
  "version",
  "unlink",
  "second",
  "within",
] as const;
type AppendItem = (typeof APPEND_ITEM)[number];

interface Scripts {
  append: Script<
    TrimKey | "dedupe" | "dedupeExpiry" | "versions" | "versionsExpiry",
    TrimArg | "dedupeMs" | "channel" | "maxKeys" | "maxStamps",
    AppendItem
  >;
  state: Script<TrimKey, TrimArg>;
  read: Script<"epoch" | "events" | "ledger" | "meta", "epoch" | "after" | "through">;
  readLatest: Script<
    "epoch" | "events" | "ledger" | "meta" | "entries" | "user" | "userLatest",
    "epoch" | "after" | "through" | "allowed" | "models"
  >;
  markLedger: Script<"seq" | "marks" | "meta", "ledgerId">;
  markHistory: Script<"meta", "from">;
  readHistory: Script<"events" | "entries" | "history", "after" | "through">;
}

const Appended = z.array(
  z.union([
    z.tuple([
      z.literal("appended"),
      z.coerce.number().int().positive(),
      z.string(),
      z.enum(["1", ""]),
      // The live event before it; '' for history, which is never live.
      z.union([z.literal(""), z.coerce.number().int().nonnegative()]),
    ]),
    z.tuple([z.literal("duplicate"), z.string()]),
  ]),
);
const State = z.tuple([
  z.string(),
  z.number(),
  z.number(),
  z.string(),
  z.string().nullable(),
  z.string().nullable(),
  z.coerce.number().int().nonnegative().nullable(),
]);
const Rows = z.array(z.string().nullable());
const Read = z.union([z.null(), z.tuple([z.number(), Rows, Rows])]);
const ReadLatest = z.union([
  z.null(),
  z.literal("whole"),
  z.tuple([z.number(), Rows, Rows, z.number()]),
]);
const HistoryRead = z.tuple([Rows, Rows]);
const Entry = z.object({ uids: z.array(z.number()) });

/** The tenant's position state, read atomically (after trimming by age). */
interface TenantState {
  head: Head;
  trimmedThrough: number;
  trimmedLedger: number;
  /** The lowest ledger row the log holds from; null before the first mark. */
  from: number | null;
}

/**
 * The log in Redis, shared by every hub process: one Lua script per operation over keys
 * hash-tagged by tenant (see ops/redis-keys.ts), live events through Pub/Sub on a second
 * connection. Takes ownership of `redis` (closes it); it must not use ioredis' `keyPrefix`.
 */
export class RedisEventLog implements EventLog {
  private readonly subscriber: RedisClient;
  private readonly feed: RedisLiveFeed;
  private readonly scripts: Scripts;
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly appends = new GroupCommit<AppendInput, AppendResult>(
    (tenant, inputs) => this.appendNow(tenant, inputs),
    { maxBatch: MAX_BATCH },
  );

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RedisEventLogOptions,
  ) {
    this.prefix = checkedPrefix(options.prefix ?? "odoo-live:");
    if (redis.options.keyPrefix) throw new Error("RedisEventLog needs a client without keyPrefix");
    this.now = options.now ?? Date.now;
    this.scripts = defineScripts(redis);
    this.subscriber = redis.duplicate();
    this.feed = new RedisLiveFeed(this.subscriber, options.onListenerError ?? (() => undefined));
  }

  async append(tenant: string, input: AppendInput): Promise<AppendResult> {
    const [result] = await this.appendMany(tenant, [input]);
    if (result === undefined) throw new Error("the append script answered no result");
    return result;
  }

  /**
   * One script call per MAX_BATCH events: dedupe, seqs and publication in input order. Calls for
   * a tenant that arrive while its script runs go together in its next call (group commit): a
   * burst of pushes pays the script's fixed work (expiry, trim state, marks, publication) once.
   */
  appendMany(tenant: string, inputs: readonly AppendInput[]): Promise<AppendResult[]> {
    return this.appends.submit(tenant, inputs);
  }

  private async appendNow(tenant: string, inputs: readonly AppendInput[]): Promise<AppendResult[]> {
    const keys = this.keys(tenant);
    // Live listeners of this process subscribed before this append; the events must reach them.
    await this.feed.live(keys.channel);
    const results: AppendResult[] = [];
    for (let start = 0; start < inputs.length; start += MAX_BATCH) {
      results.push(...(await this.appendBatch(keys, inputs.slice(start, start + MAX_BATCH))));
    }
    return results;
  }

  private async appendBatch(
    keys: TenantKeys,
    inputs: readonly AppendInput[],
  ): Promise<AppendResult[]> {
    const now = this.now();
    const reply = await this.scripts.append(
      {
        ...this.trimKeys(keys),
        dedupe: keys.dedupe,
        dedupeExpiry: keys.dedupeExpiry,
        versions: keys.versions,
        versionsExpiry: keys.versionsExpiry,
      },
      {
        ...this.trimArgs(keys, now),
        dedupeMs: this.options.dedupeMs,
        channel: keys.channel,
        maxKeys: this.options.dedupeMaxKeys ?? DEDUPE_MAX_KEYS,
        maxStamps: MAX_STAMPS,
      },
      indexKeys(keys, inputs),
      inputs.map((input) => appendItem(input, now)),
    );
    const replies = Appended.parse(reply);
    if (replies.length !== inputs.length) {
      throw new Error(`the append script answered ${replies.length} of ${inputs.length} events`);
    }
    const published: LoggedEvent[] = [];
    const results = inputs.map(({ draft, uids }, i): AppendResult => {
      const appended = replies[i];
      if (appended === undefined) throw new Error(`the append script answered no event ${i}`);
      if (appended[0] === "duplicate") return { status: "duplicate", key: appended[1] };
      const [, seq, cursor, stale, previous] = appended;
      // The event the script stored and published: the draft's JSON extended by these fields.
      const event = eventOf(draft, seq, cursor, stale === "1");
      if (previous !== "") published.push({ event, uids, storedAt: now, previous });
      return { status: "appended", event };
    });
    this.feed.passOwn(keys.channel, published);
    return results;
  }

  /**
   * Checks continuity first, then reads only the selected indexes up to the head it checked, and
   * checks again that nothing after `from` was trimmed meanwhile.
   */
  async readSince(tenant: string, from: Position, selector: Selector): Promise<ReadResult> {
    const checked = await this.continuing(tenant, from);
    if (!checked.ok) return checked;
    const { keys, head } = checked;
    const indexes = [...selector.models].map((model) => keys.model(model));
    indexes.push(keys.user(selector.uid));
    const reply = Read.parse(
      await this.scripts.read(
        { epoch: keys.epoch, events: keys.events, ledger: keys.ledger, meta: keys.meta },
        { epoch: head.epoch, after: from.seq, through: head.seq },
        indexes,
      ),
    );
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

  /** As readSince, from the per-record indexes (event-log-read-latest.lua). */
  async readLatestSince(
    tenant: string,
    from: Position,
    selector: Selector,
  ): Promise<CompactedReadResult> {
    const checked = await this.continuing(tenant, from);
    if (!checked.ok) return checked;
    const { keys, head } = checked;
    const models = [...selector.models];
    const reply = ReadLatest.parse(
      await this.scripts.readLatest(
        {
          epoch: keys.epoch,
          events: keys.events,
          ledger: keys.ledger,
          meta: keys.meta,
          entries: keys.entries,
          user: keys.user(selector.uid),
          userLatest: keys.latestOfUser(selector.uid),
        },
        {
          epoch: head.epoch,
          after: from.seq,
          through: head.seq,
          allowed: selector.allowed === "*" ? "*" : JSON.stringify([...selector.allowed]),
          models: JSON.stringify(models),
        },
        models.flatMap((model) => [keys.model(model), keys.latestOfModel(model)]),
      ),
    );
    if (reply === null) return this.readLatestSince(tenant, from, selector);
    if (reply === "whole") {
      return compactRead(await this.readSince(tenant, from, selector));
    }
    const [trimmedNow, rows, ledgerIds, left] = reply;
    const after = continuity(from, head, trimmedNow);
    if (after !== "ok") return { ok: false, reason: after, head };
    const events = rows.map((row, i) => withLedgerId(row, ledgerIds[i] ?? null));
    return { ok: true, events, left, head };
  }

  /** The first step of a read: the head, and whether `from` continues it. */
  private async continuing(
    tenant: string,
    from: Position,
  ): Promise<{ ok: true; keys: TenantKeys; head: Head } | Extract<ReadResult, { ok: false }>> {
    const keys = this.keys(tenant);
    // A reader who subscribed first must not read history before its subscription is live.
    await this.feed.live(keys.channel);
    const { head, trimmedThrough } = await this.state(keys);
    const state = continuity(from, head, trimmedThrough);
    return state === "ok" ? { ok: true, keys, head } : { ok: false, reason: state, head };
  }

  async head(tenant: string): Promise<Head> {
    return (await this.state(this.keys(tenant))).head;
  }

  async oldest(tenant: string): Promise<Position> {
    const { head, trimmedThrough } = await this.state(this.keys(tenant));
    return { epoch: head.epoch, seq: trimmedThrough };
  }

  async markLedger(tenant: string, ledgerId: number): Promise<void> {
    const keys = this.keys(tenant);
    await this.scripts.markLedger(
      { seq: keys.seq, marks: keys.marks, meta: keys.meta },
      { ledgerId: padLedgerId(ledgerId) },
    );
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
    const { from, trimmedLedger } = await this.state(this.keys(tenant));
    return from === null ? null : Math.max(from, trimmedLedger);
  }

  async markHistory(tenant: string, fromLedgerId: number): Promise<void> {
    await this.scripts.markHistory(
      { meta: this.keys(tenant).meta },
      { from: String(checkedLedgerId(fromLedgerId)) },
    );
  }

  async readHistory(
    tenant: string,
    after: number,
    through: number,
    selector: Selector,
  ): Promise<NormalizedEvent[]> {
    const keys = this.keys(tenant);
    const reply = await this.scripts.readHistory(
      { events: keys.events, entries: keys.entries, history: keys.history },
      { after, through },
    );
    const [rows, entries] = HistoryRead.parse(reply);
    const events: NormalizedEvent[] = [];
    rows.forEach((row, i) => {
      const entry = entries[i];
      // Trimmed between the range read and the fetch: the caller's floor check covers it.
      if (row === null || row === undefined || entry === null || entry === undefined) return;
      const event = JSON.parse(row) as NormalizedEvent;
      const { uids } = Entry.parse(JSON.parse(entry));
      if (selects(selector, event.model, uids)) events.push(event);
    });
    return events;
  }

  subscribe(tenant: string, listener: LiveListener): () => void {
    return this.feed.subscribe(this.keys(tenant).channel, listener);
  }

  async close(): Promise<void> {
    this.feed.close();
    await Promise.all([quit(this.subscriber), quit(this.redis)]);
  }

  private keys(tenant: string): TenantKeys {
    return tenantKeys(this.prefix, tenant);
  }

  private trimKeys(keys: TenantKeys): Record<TrimKey, string> {
    const { epoch, seq, events, entries, ledger, meta, history, marks } = keys;
    return { epoch, seq, events, entries, ledger, meta, history, marks };
  }

  private trimArgs(keys: TenantKeys, now: number): Record<TrimArg, string | number> {
    const { maxCount, maxAgeMs } = this.options.retention;
    return { base: keys.base, now, maxCount, maxAgeMs, freshEpoch: newEpoch() };
  }

  private async state(keys: TenantKeys): Promise<TenantState> {
    const reply = await this.scripts.state(this.trimKeys(keys), this.trimArgs(keys, this.now()));
    const [epoch, seq, trimmedThrough, trimmedLedger, from, lastMark, live] = State.parse(reply);
    const head: Head = { epoch, seq };
    if (lastMark !== null) head.ledger = Number(lastMark);
    if (live !== null) head.live = live;
    return {
      head,
      trimmedThrough,
      trimmedLedger: trimmedLedger === "inf" ? Infinity : Number(trimmedLedger),
      from: from === null ? null : Number(from),
    };
  }
}

function defineScripts(redis: RedisClient): Scripts {
  const trimming = ["event-log-trim.lua"];
  const script = <K extends string, A extends string>(
    files: string[],
    keys: readonly K[],
    args: readonly A[],
    moreKeys = false,
  ) => defineScript(redis, { folder: "log", files, keys, args, moreKeys });
  const withTrim = <K extends string, A extends string>(
    file: string,
    keys: readonly K[],
    args: readonly A[],
  ) => script([...trimming, file], [...TRIM_KEYS, ...keys], [...TRIM_ARGS, ...args]);
  const alone = <K extends string, A extends string>(
    file: string,
    keys: readonly K[],
    args: readonly A[],
  ) => script([file], keys, args);
  // The reads that answer events share rowsOf (event-log-rows.lua).
  const reading = <K extends string, A extends string>(
    file: string,
    keys: readonly K[],
    args: readonly A[],
  ) => script(["event-log-rows.lua", file], keys, args, true);
  return {
    append: defineScript(redis, {
      folder: "log",
      files: [...trimming, "event-log-append.lua"],
      keys: [...TRIM_KEYS, "dedupe", "dedupeExpiry", "versions", "versionsExpiry"],
      args: [...TRIM_ARGS, "dedupeMs", "channel", "maxKeys", "maxStamps"],
      moreKeys: true,
      itemArgs: APPEND_ITEM,
    }),
    state: withTrim("event-log-state.lua", [], []),
    read: reading(
      "event-log-read.lua",
      ["epoch", "events", "ledger", "meta"],
      ["epoch", "after", "through"],
    ),
    readLatest: reading(
      "event-log-read-latest.lua",
      ["epoch", "events", "ledger", "meta", "entries", "user", "userLatest"],
      ["epoch", "after", "through", "allowed", "models"],
    ),
    markLedger: alone("event-log-mark-ledger.lua", ["seq", "marks", "meta"], ["ledgerId"]),
    markHistory: alone("event-log-mark-history.lua", ["meta"], ["from"]),
    readHistory: alone(
      "event-log-read-history.lua",
      ["events", "entries", "history"],
      ["after", "through"],
    ),
  };
}

/** One event's arguments of the append script. */
function appendItem(input: AppendInput, now: number): Record<AppendItem, string> {
  const { draft, uids, dedupe } = input;
  const history = input.history === true;
  const record = `${draft.model}:${draft.recordId}`;
  return {
    draft: JSON.stringify(draft),
    entry: JSON.stringify({ at: now, model: draft.model, uids, ...(history && { history }) }),
    uids: JSON.stringify(uids),
    ledgerId: String(draft.origin.updateWebhookId ?? ""),
    history: history ? "1" : "",
    coverage: input.coverage === undefined ? "" : padLedgerId(input.coverage),
    rows: JSON.stringify(dedupe.rows),
    content: dedupe.content?.key ?? "",
    second: String(dedupe.content?.second ?? ""),
    within: String(dedupe.content?.within ?? ""),
    record,
    version: draft.version ?? "",
    unlink: draft.op === "unlink" ? "1" : "",
  };
}

/**
 * The model and user indexes a batch writes and their per-record companions, declared to the
 * script (history has none).
 */
function indexKeys(keys: TenantKeys, inputs: readonly AppendInput[]): string[] {
  const names = new Set<string>();
  for (const { draft, uids, history } of inputs) {
    if (history === true) continue;
    names.add(keys.model(draft.model)).add(keys.latestOfModel(draft.model));
    for (const uid of uids) names.add(keys.user(uid)).add(keys.latestOfUser(uid));
  }
  return [...names];
}

/** A stored event, with the ledger row a later pull copy taught it. */
function withLedgerId(row: string | null, ledgerId: string | null): NormalizedEvent {
  if (row === null) throw new Error("log index points at a missing event");
  const event = JSON.parse(row) as NormalizedEvent;
  if (ledgerId !== null) event.origin.updateWebhookId ??= Number(ledgerId);
  return event;
}

function checkedLedgerId(ledgerId: number): number {
  if (!Number.isSafeInteger(ledgerId) || ledgerId < 0) {
    throw new RangeError(`not a ledger id: ${ledgerId}`);
  }
  return ledgerId;
}

/** Ledger ids are safe integers: 16 digits make lexical order numeric. */
function padLedgerId(ledgerId: number): string {
  return String(checkedLedgerId(ledgerId)).padStart(16, "0");
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
