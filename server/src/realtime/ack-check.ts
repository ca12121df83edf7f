import type { EventLog } from "../log/event-log.js";
import { continuity, decodeCursor, decodeLedgerCursor, type Position } from "../log/position.js";
import { RequestError } from "./request-error.js";

export type CheckedAck = { kind: "hub"; position: Position } | { kind: "ledger"; ledgerId: number };

/**
 * An ack may name only what the device could have been sent: a position of the log's current
 * epoch at or below its head, or a ledger row the log holds (at or below its ledger watermark).
 * Checked against the log, so on any node, whatever connection the ack comes through; a position
 * at or below `seen` (the last live event this node delivered) needs no read: heads only grow.
 */
export async function checkAck(
  log: EventLog,
  tenant: string,
  cursor: string,
  seen?: Position,
): Promise<CheckedAck> {
  const ledgerId = decodeLedgerCursor(cursor);
  if (ledgerId !== undefined) {
    const head = await log.head(tenant);
    const watermark = await log.ledgerAt(tenant, head.seq);
    if (watermark !== null && ledgerId <= watermark) return { kind: "ledger", ledgerId };
    const held = watermark === null ? "none" : `up to ${watermark}`;
    throw invalid(`names ledger row ${ledgerId}, but the log holds ${held}`);
  }
  const position = decodeCursor(cursor);
  if (position === undefined) throw invalid("is not a cursor this hub issued");
  if (seen !== undefined && continuity(position, seen, 0) === "ok")
    return { kind: "hub", position };
  const state = continuity(position, await log.head(tenant), 0);
  if (state === "ok") return { kind: "hub", position };
  throw invalid(state === "epoch_changed" ? "is from an earlier log epoch" : "is ahead of the log");
}

function invalid(why: string): RequestError {
  return new RequestError({ code: "invalid_cursor", message: `cursor ${why}` });
}
