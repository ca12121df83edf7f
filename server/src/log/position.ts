import { randomBytes } from "node:crypto";

/**
 * A position in a tenant's log: the epoch names one lifetime of the log (it changes whenever the
 * log starts empty), the seq counts events within it. Cursors are positions encoded for clients,
 * who treat them as opaque strings.
 */
export interface Position {
  epoch: string;
  seq: number;
  /**
   * The Odoo ledger watermark the log held at this position (every `update.webhook` row up to it
   * was in the log by then), when it had one. A cursor carries it, so that a device whose epoch
   * ended (a restarted embedded hub) is caught up from Odoo without asking Odoo where it was.
   */
  ledger?: number | undefined;
}

/** A log's head: its last position, and how far its live feed can reach. */
export interface Head extends Position {
  /**
   * The seq of the log's last live event (history takes seqs but is never published); 0 before
   * the first; undefined for a Redis log written before it was kept. A reader waiting for the
   * feed to catch up with its read waits for this one (Dispatcher.reached).
   */
  live?: number | undefined;
}

const CURSOR = /^([a-z0-9]{8,32})-(0|[1-9][0-9]{0,15})(?:-(0|[1-9][0-9]{0,15}))?$/;

/**
 * Random bytes for epochs, drawn 4 KiB at a time. Every Redis append offers a fresh epoch (used
 * only when the tenant has none, so that a flushed Redis never reuses one), and a `randomBytes`
 * call per append cost the Redis push path about 5 % of its CPU; each epoch is still 64 bits
 * of its own, never handed out twice.
 */
let pool = Buffer.alloc(0);
let offset = 0;

export function newEpoch(): string {
  if (offset + 8 > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  offset += 8;
  return pool.toString("hex", offset - 8, offset);
}

/** `<epoch>-<seq>`, or `<epoch>-<seq>-<ledger>` when the position knows its ledger watermark. */
export function encodeCursor(position: Position): string {
  const { epoch, seq, ledger } = position;
  return ledger === undefined ? `${epoch}-${seq}` : `${epoch}-${seq}-${ledger}`;
}

/** Undefined when the string is not a cursor this hub could have issued. */
export function decodeCursor(cursor: string): Position | undefined {
  const match = CURSOR.exec(cursor);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const seq = Number(match[2]);
  const ledger = match[3] === undefined ? undefined : Number(match[3]);
  if (!Number.isSafeInteger(seq) || (ledger !== undefined && !Number.isSafeInteger(ledger)))
    return undefined;
  return ledger === undefined ? { epoch: match[1], seq } : { epoch: match[1], seq, ledger };
}

const LEDGER_CURSOR = /^odoo-(0|[1-9][0-9]{0,15})$/;

/**
 * Events replayed from Odoo's ledger precede the hub's log and have no seq in it: their cursor
 * names the `update.webhook` row instead, and resuming from it resumes from Odoo.
 */
export function encodeLedgerCursor(ledgerId: number): string {
  return `odoo-${ledgerId}`;
}

export function decodeLedgerCursor(cursor: string): number | undefined {
  const match = LEDGER_CURSOR.exec(cursor);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export type Continuity = "ok" | "epoch_changed" | "cursor_expired" | "cursor_unknown";

/**
 * Whether events after `from` can all be served from a log whose current state is `head` and
 * that has dropped every event up to `trimmedThrough`.
 */
export function continuity(from: Position, head: Position, trimmedThrough: number): Continuity {
  if (from.epoch !== head.epoch) return "epoch_changed";
  if (from.seq > head.seq) return "cursor_unknown";
  if (from.seq < trimmedThrough) return "cursor_expired";
  return "ok";
}
