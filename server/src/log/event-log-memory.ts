import type { NormalizedEvent } from "@odoo-live/protocol";
import { allows, selects, type Selector } from "../routing/selector.js";
import { compactRead } from "./compact.js";
import { DEDUPE_MAX_KEYS, DedupeWindow } from "./dedupe-window.js";
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
import { eventOf } from "./event-of.js";
import { LedgerMarks } from "./ledger-marks.js";
import { continuity, encodeCursor, newEpoch, type Head, type Position } from "./position.js";
import { RecordVersions } from "./record-versions.js";
import { mergeSeqs, SeqIndex } from "./seq-index.js";

interface Entry {
  logged: LoggedEvent;
  storedAt: number;
  history: boolean;
}

interface TenantLog {
  epoch: string;
  seq: number;
  trimmedThrough: number;
  /** By seq, in insertion (= seq) order, so the oldest entry is the first. */
  entries: Map<number, Entry>;
  byModel: Map<string, SeqIndex>;
  byUser: Map<number, SeqIndex>;
  /** History events by ledger row, ascending. */
  history: { ledgerId: number; seq: number }[];
  dedupe: DedupeWindow;
  versions: RecordVersions;
  listeners: Set<LiveListener>;
  /** The seq of the last live (published) event, 0 before the first. */
  lastLive: number;
  marks: LedgerMarks;
  /** Highest ledger row among trimmed events (Infinity once one had none). */
  trimmedLedger: number;
}

export interface MemoryEventLogOptions {
  retention: Retention;
  dedupeMs: number;
  /** Most dedupe keys kept per tenant (default DEDUPE_MAX_KEYS); past it the oldest go first. */
  dedupeMaxKeys?: number;
  now?: () => number;
  /** Called when a live listener throws; the append itself has succeeded. */
  onListenerError?: (error: unknown) => void;
}

/** The embedded log: one process, state lost on exit (a restart starts a new epoch). */
export class MemoryEventLog implements EventLog {
  private readonly tenants = new Map<string, TenantLog>();
  private readonly now: () => number;

  constructor(private readonly options: MemoryEventLogOptions) {
    this.now = options.now ?? Date.now;
  }

  async append(tenant: string, input: AppendInput): Promise<AppendResult> {
    return this.appendTo(this.tenant(tenant), input);
  }

  async appendMany(tenant: string, inputs: readonly AppendInput[]): Promise<AppendResult[]> {
    const log = this.tenant(tenant);
    return inputs.map((input) => this.appendTo(log, input));
  }

  private appendTo(log: TenantLog, input: AppendInput): AppendResult {
    const seen = log.dedupe.seen(input.dedupe);
    if (seen !== undefined) {
      this.learnLedgerId(log, seen.seq, input.draft.origin.updateWebhookId);
      return { status: "duplicate", key: seen.key };
    }
    const seq = ++log.seq;
    log.dedupe.remember(input.dedupe, seq);
    if (input.coverage !== undefined) log.marks.mark(seq, input.coverage);
    const position = { epoch: log.epoch, seq, ledger: log.marks.last() };
    const { model, recordId, version, op } = input.draft;
    const stale = log.versions.stale(model, recordId, version, op === "unlink");
    const event = eventOf(input.draft, seq, encodeCursor(position), stale);
    const storedAt = this.now();
    const history = input.history === true;
    const logged: LoggedEvent = { event, uids: input.uids, storedAt, previous: log.lastLive };
    if (!history) log.lastLive = seq;
    log.entries.set(seq, { logged, storedAt, history });
    const ledgerId = event.origin.updateWebhookId;
    if (history && ledgerId !== undefined) insertHistory(log, ledgerId, seq);
    if (!history) {
      indexOf(log.byModel, event.model).push(seq);
      for (const uid of new Set(input.uids)) indexOf(log.byUser, uid).push(seq);
    }
    this.trim(log);
    if (!history) this.publish(log, logged);
    return { status: "appended", event };
  }

  async readSince(tenant: string, from: Position, selector: Selector): Promise<ReadResult> {
    const log = this.tenant(tenant);
    this.trim(log);
    const head = this.headOf(log);
    const state = continuity(from, head, log.trimmedThrough);
    if (state !== "ok") return { ok: false, reason: state, head };
    const lists = [...selector.models].map((m) => log.byModel.get(m)?.after(from.seq) ?? []);
    lists.push(this.routedTo(log, selector, from.seq));
    const events = mergeSeqs(lists).map((seq) => this.entry(log, seq).event);
    return { ok: true, events, head };
  }

  /** Compacts what readSince reads: in memory, reading every event costs microseconds each. */
  async readLatestSince(
    tenant: string,
    from: Position,
    selector: Selector,
  ): Promise<CompactedReadResult> {
    return compactRead(await this.readSince(tenant, from, selector));
  }

  async head(tenant: string): Promise<Head> {
    return this.headOf(this.tenant(tenant));
  }

  async oldest(tenant: string): Promise<Position> {
    const log = this.tenant(tenant);
    this.trim(log);
    return { epoch: log.epoch, seq: log.trimmedThrough };
  }

  async markLedger(tenant: string, ledgerId: number): Promise<void> {
    const log = this.tenant(tenant);
    log.marks.mark(log.seq, ledgerId);
  }

  async ledgerAt(tenant: string, seq: number): Promise<number | null> {
    return this.tenant(tenant).marks.at(seq) ?? null;
  }

  async ledgerFloor(tenant: string): Promise<number | null> {
    const log = this.tenant(tenant);
    this.trim(log);
    const lowest = log.marks.lowest();
    return lowest === undefined ? null : Math.max(lowest, log.trimmedLedger);
  }

  async markHistory(tenant: string, fromLedgerId: number): Promise<void> {
    this.tenant(tenant).marks.extendDown(fromLedgerId);
  }

  async readHistory(
    tenant: string,
    after: number,
    through: number,
    selector: Selector,
  ): Promise<NormalizedEvent[]> {
    const log = this.tenant(tenant);
    this.trim(log);
    const events: NormalizedEvent[] = [];
    for (const { ledgerId, seq } of log.history) {
      if (ledgerId <= after) continue;
      if (ledgerId > through) break;
      const { event, uids } = this.entry(log, seq);
      if (selects(selector, event.model, uids)) events.push(event);
    }
    return events;
  }

  subscribe(tenant: string, listener: LiveListener): () => void {
    const listeners = this.tenant(tenant).listeners;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  async close(): Promise<void> {
    for (const log of this.tenants.values()) log.listeners.clear();
  }

  private tenant(tenant: string): TenantLog {
    let log = this.tenants.get(tenant);
    if (log === undefined) {
      log = {
        epoch: newEpoch(),
        seq: 0,
        trimmedThrough: 0,
        entries: new Map(),
        byModel: new Map(),
        byUser: new Map(),
        history: [],
        dedupe: new DedupeWindow(this.options.dedupeMs, this.options.dedupeMaxKeys, this.now),
        versions: new RecordVersions(
          this.options.dedupeMs,
          this.options.dedupeMaxKeys ?? DEDUPE_MAX_KEYS,
          this.now,
        ),
        listeners: new Set(),
        lastLive: 0,
        marks: new LedgerMarks(),
        trimmedLedger: 0,
      };
      this.tenants.set(tenant, log);
    }
    return log;
  }

  private headOf(log: TenantLog): Head {
    return { epoch: log.epoch, seq: log.seq, ledger: log.marks.last(), live: log.lastLive };
  }

  private entry(log: TenantLog, seq: number): LoggedEvent {
    const entry = log.entries.get(seq);
    if (entry === undefined) throw new Error(`log index points at missing seq ${seq}`);
    return entry.logged;
  }

  private routedTo(log: TenantLog, selector: Selector, after: number): number[] {
    const seqs = log.byUser.get(selector.uid)?.after(after) ?? [];
    return seqs.filter((seq) => allows(selector.allowed, this.entry(log, seq).event.model));
  }

  /** Seqs are contiguous and trimmed from the front: the oldest entry is the one after the last trimmed. */
  private trim(log: TenantLog): void {
    const { maxCount, maxAgeMs } = this.options.retention;
    const oldestAllowed = this.now() - maxAgeMs;
    const before = log.trimmedThrough;
    let history: Set<number> | undefined;
    for (let seq = before + 1; ; seq++) {
      const entry = log.entries.get(seq);
      if (entry === undefined) break;
      if (log.entries.size <= maxCount && entry.storedAt >= oldestAllowed) break;
      log.entries.delete(seq);
      log.trimmedThrough = seq;
      const { event, uids } = entry.logged;
      log.trimmedLedger = Math.max(log.trimmedLedger, event.origin.updateWebhookId ?? Infinity);
      if (entry.history) {
        (history ??= new Set()).add(seq);
        continue;
      }
      dropFrom(log.byModel, event.model, seq);
      for (const uid of uids) dropFrom(log.byUser, uid, seq);
    }
    if (log.trimmedThrough === before) return;
    if (history !== undefined) log.history = log.history.filter((h) => !history.has(h.seq));
    log.marks.forgetThrough(log.trimmedThrough);
  }

  /** A pull copy of a pushed change tells the logged event which ledger row it is. */
  private learnLedgerId(log: TenantLog, seq: number, ledgerId: number | undefined): void {
    const event = log.entries.get(seq)?.logged.event;
    if (ledgerId !== undefined && event !== undefined) event.origin.updateWebhookId ??= ledgerId;
  }

  private publish(log: TenantLog, logged: LoggedEvent): void {
    for (const listener of log.listeners) {
      try {
        listener(logged);
      } catch (error) {
        this.options.onListenerError?.(error);
      }
    }
  }
}

/** Catch-ups append rows in ledger order, a later one for lower rows: binary insertion. */
function insertHistory(log: TenantLog, ledgerId: number, seq: number): void {
  let lo = 0;
  let hi = log.history.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((log.history[mid]?.ledgerId ?? Infinity) < ledgerId) lo = mid + 1;
    else hi = mid;
  }
  log.history.splice(lo, 0, { ledgerId, seq });
}

function indexOf<K>(indexes: Map<K, SeqIndex>, key: K): SeqIndex {
  let index = indexes.get(key);
  if (index === undefined) {
    index = new SeqIndex();
    indexes.set(key, index);
  }
  return index;
}

function dropFrom<K>(indexes: Map<K, SeqIndex>, key: K, seq: number): void {
  const index = indexes.get(key);
  if (index === undefined) return;
  index.dropThrough(seq);
  if (index.size === 0) indexes.delete(key);
}
