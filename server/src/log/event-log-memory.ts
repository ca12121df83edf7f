import type { NormalizedEvent } from "@odoo-live/protocol";
import { allows, type Selector } from "../routing/selector.js";
import { DedupeWindow } from "./dedupe-window.js";
import type {
  AppendInput,
  AppendResult,
  EventLog,
  LiveListener,
  LoggedEvent,
  ReadResult,
  Retention,
} from "./event-log.js";
import { continuity, encodeCursor, newEpoch, type Position } from "./position.js";
import { mergeSeqs, SeqIndex } from "./seq-index.js";

interface Entry {
  logged: LoggedEvent;
  storedAt: number;
}

interface TenantLog {
  epoch: string;
  seq: number;
  trimmedThrough: number;
  /** By seq, in insertion (= seq) order, so the oldest entry is the first. */
  entries: Map<number, Entry>;
  byModel: Map<string, SeqIndex>;
  byUser: Map<number, SeqIndex>;
  dedupe: DedupeWindow;
  listeners: Set<LiveListener>;
  /** Ledger marks in seq order: rows up to `ledgerId` are in the log at or before `seq`. */
  marks: { seq: number; ledgerId: number }[];
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

  append(tenant: string, input: AppendInput): Promise<AppendResult> {
    const log = this.tenant(tenant);
    const seen = log.dedupe.seen(input.dedupe.check);
    if (seen !== undefined) {
      this.learnLedgerId(log, seen.seq, input.draft.origin.updateWebhookId);
      return Promise.resolve({ status: "duplicate", key: seen.key });
    }
    const seq = ++log.seq;
    log.dedupe.remember(input.dedupe.remember, seq);
    const event: NormalizedEvent = {
      ...input.draft,
      seq,
      cursor: encodeCursor({ epoch: log.epoch, seq }),
    };
    const storedAt = this.now();
    const logged: LoggedEvent = { event, uids: input.uids, storedAt };
    log.entries.set(seq, { logged, storedAt });
    indexOf(log.byModel, event.model).push(seq);
    for (const uid of new Set(input.uids)) indexOf(log.byUser, uid).push(seq);
    this.trim(log);
    this.publish(log, logged);
    return Promise.resolve({ status: "appended", event });
  }

  readSince(tenant: string, from: Position, selector: Selector): Promise<ReadResult> {
    const log = this.tenant(tenant);
    this.trim(log);
    const head = { epoch: log.epoch, seq: log.seq };
    const state = continuity(from, head, log.trimmedThrough);
    if (state !== "ok") return Promise.resolve({ ok: false, reason: state, head });
    const lists = [...selector.models].map((m) => log.byModel.get(m)?.after(from.seq) ?? []);
    lists.push(this.routedTo(log, selector, from.seq));
    const events = mergeSeqs(lists).map((seq) => this.entry(log, seq).event);
    return Promise.resolve({ ok: true, events, head });
  }

  head(tenant: string): Promise<Position> {
    const log = this.tenant(tenant);
    return Promise.resolve({ epoch: log.epoch, seq: log.seq });
  }

  oldest(tenant: string): Promise<Position> {
    const log = this.tenant(tenant);
    this.trim(log);
    return Promise.resolve({ epoch: log.epoch, seq: log.trimmedThrough });
  }

  markLedger(tenant: string, ledgerId: number): Promise<void> {
    const log = this.tenant(tenant);
    const last = log.marks.at(-1);
    if (last === undefined || ledgerId > last.ledgerId) log.marks.push({ seq: log.seq, ledgerId });
    return Promise.resolve();
  }

  ledgerAt(tenant: string, seq: number): Promise<number | null> {
    const marks = this.tenant(tenant).marks;
    let found: number | null = null;
    for (const mark of marks) {
      if (mark.seq > seq) break;
      found = mark.ledgerId;
    }
    return Promise.resolve(found);
  }

  ledgerFloor(tenant: string): Promise<number | null> {
    const log = this.tenant(tenant);
    this.trim(log);
    const first = log.marks[0];
    return Promise.resolve(
      first === undefined ? null : Math.max(first.ledgerId, log.trimmedLedger),
    );
  }

  subscribe(tenant: string, listener: LiveListener): () => void {
    const listeners = this.tenant(tenant).listeners;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  close(): Promise<void> {
    for (const log of this.tenants.values()) log.listeners.clear();
    return Promise.resolve();
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
        dedupe: new DedupeWindow(this.options.dedupeMs, this.options.dedupeMaxKeys, this.now),
        listeners: new Set(),
        marks: [],
        trimmedLedger: 0,
      };
      this.tenants.set(tenant, log);
    }
    return log;
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

  private trim(log: TenantLog): void {
    const { maxCount, maxAgeMs } = this.options.retention;
    const oldestAllowed = this.now() - maxAgeMs;
    for (const [seq, entry] of log.entries) {
      if (log.entries.size <= maxCount && entry.storedAt >= oldestAllowed) break;
      log.entries.delete(seq);
      log.trimmedThrough = seq;
      log.trimmedLedger = Math.max(
        log.trimmedLedger,
        entry.logged.event.origin.updateWebhookId ?? Infinity,
      );
      dropFrom(log.byModel, entry.logged.event.model, seq);
      for (const uid of entry.logged.uids) dropFrom(log.byUser, uid, seq);
    }
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
