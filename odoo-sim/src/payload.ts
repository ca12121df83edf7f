import type { OdooPayload } from "@odoo-live/protocol";
import { defaultRule, modelInfo } from "./catalog.js";
import { naiveIso, naiveIsoMicros } from "./odoo-time.js";
import type { Op } from "./types.js";

export interface Ref {
  id: number;
  name: string;
}

/** A many2one value in a payload (reference §3.5): `{id, name}`, or `{id: false, name: ""}`. */
export function many2one(ref: Ref | null): { id: number | false; name: string } {
  return ref === null ? { id: false, name: "" } : { id: ref.id, name: ref.name };
}

export interface RecordSnapshot {
  model: string;
  recordId: number;
  op: Op;
  /** When the change happened (the record's write_date), to the millisecond. */
  at: Date;
  createdAt: Date;
  name: string;
  /** The model's own fields, already encoded (m2o as `{id, name}`, empty as false). */
  fields: Record<string, unknown>;
  /** The keys passed to write(); only write events carry them. */
  changedFields: readonly string[];
}

/**
 * The stored payload dict: the record's fields plus `_metadata` (the rule path's for creates and
 * writes of the 12 default models, the config path's otherwise) and `_changed_fields` on writes.
 */
export function recordPayload(snapshot: RecordSnapshot): OdooPayload {
  const { model, recordId, op, at } = snapshot;
  const rule = defaultRule(model, op);
  const identity = { model, id: recordId, display_name: snapshot.name };
  const metadata =
    rule === undefined
      ? { ...identity, operation: op, timestamp: naiveIso(at) }
      : { ...identity, rule_id: rule.id, rule_name: rule.name };
  return {
    id: recordId,
    name: snapshot.name,
    ...snapshot.fields,
    // Odoo's magic columns keep Postgres' microseconds; other datetimes are whole seconds.
    create_date: naiveIsoMicros(snapshot.createdAt),
    write_date: naiveIsoMicros(at),
    _metadata: metadata,
    ...(op === "write" ? { _changed_fields: [...snapshot.changedFields] } : {}),
  };
}

/** What `change()` stores when the caller gives no payload: a minimal but realistic snapshot. */
export function defaultPayload(
  model: string,
  recordId: number,
  op: Op,
  at: Date,
  owner: Ref | null,
): OdooPayload {
  return recordPayload({
    model,
    recordId,
    op,
    at,
    createdAt: at,
    name: modelInfo(model).name(recordId, at),
    fields: { user_id: many2one(owner) },
    changedFields: ["name"],
  });
}
