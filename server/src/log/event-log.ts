import type { EventDraft, NormalizedEvent } from "@odoo-live/protocol";
import type { Selector } from "../routing/selector.js";
import type { DedupeInput } from "./dedupe-window.js";
import type { Head, Position } from "./position.js";

/** An event with the users its tenant's routes named; `uids` and `storedAt` stay on the hub. */
export interface LoggedEvent {
  event: NormalizedEvent;
  uids: readonly number[];
  /** When the log stored it (ms since the epoch, by the appending node's clock). */
  storedAt: number;
  /**
   * The seq of the tenant's live event before it in this epoch (0: none yet). History events
   * (`AppendInput.history`) take seqs too but are never live, so a live feed's seqs need not
   * follow one another: this is what says that none was missed.
   */
  previous: number;
}

export interface AppendInput {
  draft: EventDraft;
  uids: readonly number[];
  /** What the dedupe window checks the append against, and remembers the event by. */
  dedupe: DedupeInput;
  /**
   * A ledger row read for a device's catch-up, older than the log's pull coverage: stored,
   * de-duplicated and given a seq like any event (so a later push or pull of the change is a
   * duplicate), but history, not news: never published live, never in `readSince`, read by
   * ledger range with `readHistory`.
   */
  history?: boolean;
  /**
   * Every ledger row up to this is in the log once this event is (a pulled row read with no
   * gap below it): marked with the append, so that the event's cursor names it.
   */
  coverage?: number | undefined;
}

export type AppendResult =
  { status: "appended"; event: NormalizedEvent } | { status: "duplicate"; key: string };

export type ReadResult =
  | { ok: true; events: NormalizedEvent[]; head: Head }
  | { ok: false; reason: "epoch_changed" | "cursor_expired" | "cursor_unknown"; head: Head };

/** A compacted read (compact.ts): the kept events, and how many selected events it left out. */
export type CompactedReadResult =
  | { ok: true; events: NormalizedEvent[]; left: number; head: Head }
  | Extract<ReadResult, { ok: false }>;

export type LiveListener = (logged: LoggedEvent) => void;

/**
 * A tenant's ordered, de-duplicated, bounded history and its live feed. Dedupe, position
 * assignment, storage and publication are one operation (as centrifuge's Broker), so that a
 * reader who subscribes first and reads history second can merge the two by seq without a gap.
 */
export interface EventLog {
  /** Appends and publishes to live listeners, in seq order; resolves once stored. */
  append(tenant: string, input: AppendInput): Promise<AppendResult>;
  /**
   * As `append` for each input in order (an input is a duplicate of an earlier one of the batch
   * too; seqs, coverage marks and publication follow input order), in as few store round trips
   * as the store allows: a pulled page is one. Resolves once all are stored, one result per input.
   */
  appendMany(tenant: string, inputs: readonly AppendInput[]): Promise<AppendResult[]>;
  /**
   * Events after `from` that `selector` selects, in seq order, with the head the read saw.
   * Cost grows with the selected events, not with the tenant's total traffic.
   */
  readSince(tenant: string, from: Position, selector: Selector): Promise<ReadResult>;
  /**
   * As `readSince`, compacted: of the selected events, only each record's latest that is not
   * stale (compact.ts), and how many it left out. Redis reads it from per-record indexes, so
   * that its cost follows the records changed, not the events.
   */
  readLatestSince(tenant: string, from: Position, selector: Selector): Promise<CompactedReadResult>;
  /** The last position, with the ledger watermark (the last mark) when there is one. */
  head(tenant: string): Promise<Head>;
  /** The position just before the oldest event still retained. */
  oldest(tenant: string): Promise<Position>;
  /**
   * Records that every Odoo ledger row up to `ledgerId` is in the log at or before the current
   * head (the puller's watermark). The first mark of an epoch is where ledger coverage begins.
   */
  markLedger(tenant: string, ledgerId: number): Promise<void>;
  /** The highest ledger id marked at or before `seq`, null if none. */
  ledgerAt(tenant: string, seq: number): Promise<number | null>;
  /**
   * Ledger rows above this may be missing from the log: the lowest row it holds from (the first
   * mark, or lower once history filled in below it) or the highest row among trimmed events
   * (Infinity when a trimmed event's row is unknown). Null when the ledger was never marked.
   */
  ledgerFloor(tenant: string): Promise<number | null>;
  /**
   * Records that every ledger row in (`fromLedgerId`, first mark] is in the log (as history, or
   * as an event it already held): the ledger floor moves down to `fromLedgerId`.
   */
  markHistory(tenant: string, fromLedgerId: number): Promise<void>;
  /**
   * History events whose ledger row is in (`after`, `through`] that `selector` selects, in
   * ledger order.
   */
  readHistory(
    tenant: string,
    after: number,
    through: number,
    selector: Selector,
  ): Promise<NormalizedEvent[]>;
  /** Live events of the tenant appended from now on, in seq order. Returns the unsubscriber. */
  subscribe(tenant: string, listener: LiveListener): () => void;
  close(): Promise<void>;
}

export interface Retention {
  maxCount: number;
  maxAgeMs: number;
}
