import { isWireMessage, type NormalizedEvent, type Ready, type Resync } from "@odoo-live/protocol";

/** A server message waiting in the delivery queue. */
export type Incoming =
  | { kind: "event"; event: NormalizedEvent }
  | { kind: "ready"; ready: Ready }
  | { kind: "resync"; resync: Resync };

/**
 * Events are not checked against their schema: the hub validated them once at ingest, and a full
 * parse of every record payload on every device would cost more than the rest of the client.
 * Only the two fields the delivery guarantees rest on are checked: `id` (duplicates) and
 * `cursor` (what gets stored), so a malformed message can never corrupt the resume position.
 */
export function toEvent(value: unknown): Incoming | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { id, cursor } = value as Record<string, unknown>;
  if (typeof id !== "string" || typeof cursor !== "string" || cursor === "") return undefined;
  return { kind: "event", event: value as NormalizedEvent };
}

/** `ready` and `resync` come once per connection at most, so a full check costs nothing. */
export function toReady(value: unknown): Incoming | undefined {
  return isWireMessage("Ready", value) ? { kind: "ready", ready: value } : undefined;
}

export function toResync(value: unknown): Incoming | undefined {
  return isWireMessage("Resync", value) ? { kind: "resync", resync: value } : undefined;
}
