import * as z from "zod/mini";
import {
  Category,
  IsoDateTime,
  ModelName,
  OdooId,
  OdooPayload,
  Operation,
  Priority,
} from "./odoo-values.js";

/** Where a change came from; after de-duplication, the first arrival's ids. */
export const EventOrigin = z.object({
  updateWebhookId: z.optional(OdooId),
  webhookEventId: z.optional(OdooId),
});
export type EventOrigin = z.infer<typeof EventOrigin>;

/** A change as normalized at ingest, before the log gives it a position. */
export const EventDraft = z.object({
  /** Stable identity of the change: the same whether it came as envelope, raw push or pull row. */
  id: z.string().check(z.regex(/^[0-9a-f]{32}$/)),
  tenant: z.string().check(z.minLength(1)),
  model: ModelName,
  recordId: z.number().check(z.int()),
  op: Operation,
  /** ISO 8601 UTC with `Z`. */
  at: IsoDateTime,
  /** Null when the arriving shape does not carry it (the instant raw push). */
  priority: z.nullable(Priority),
  category: z.nullable(Category),
  /** The Odoo user who made the change; only pull rows carry it. */
  actorUid: z.nullable(z.number().check(z.int())),
  changedFields: z.array(z.string()),
  /** The Odoo payload snapshot as sent (`false` for empty values, many2one as `{id, name}`). */
  record: OdooPayload,
  /**
   * The record's version: its `write_date` as ISO 8601 UTC with six fractional digits (strings
   * compare in time order); null when the snapshot has none.
   */
  version: z.nullable(z.string()),
  origin: EventOrigin,
});
export type EventDraft = z.infer<typeof EventDraft>;

/** What a client receives: the draft plus its position in the tenant's order. */
export const NormalizedEvent = z.extend(EventDraft, {
  /**
   * Position in the tenant's order: strictly increasing within one log epoch. 0 for events a
   * deep resume replays from Odoo's ledger: they precede everything in the hub's log.
   */
  seq: z.number().check(z.int(), z.nonnegative()),
  /** Opaque resume point just after this event. */
  cursor: z.string().check(z.minLength(1)),
  /**
   * Present (true) when the hub had already sent a newer version of this record: a change that
   * happened, reaching the hub late (its push lost, its pull row read after a later push). Show
   * it in a history; never let it replace the newer snapshot.
   */
  stale: z.optional(z.literal(true)),
});
export type NormalizedEvent = z.infer<typeof NormalizedEvent>;
