import { digest } from "./canonical.js";
import type { EventDraft, EventOrigin } from "./event.js";
import type { OdooPullRow } from "./odoo-api.js";
import type { OdooEnvelope, OdooRawPush } from "./odoo-push.js";
import { odooTimeToIso, recordVersion, type OdooPayload } from "./odoo-values.js";

/** Keys the module adds to the stored payload; they become event fields, not record fields. */
const META_KEYS = new Set(["_metadata", "_changed_fields", "_webhook_metadata"]);

interface Change {
  tenant: string;
  model: string;
  recordId: number;
  op: EventDraft["op"];
  timestamp: string;
  /** The stored payload dict exactly as Odoo stored it (without `_webhook_metadata`). */
  payload: OdooPayload;
  priority: EventDraft["priority"];
  category: EventDraft["category"];
  actorUid: number | null;
  changedFields?: string[] | undefined;
  origin: EventOrigin;
}

/**
 * The stable identity of a change: the stored payload dict (the same in all three shapes, key
 * order aside) at the time Odoo stamped it. The time matters: a rule with `tracked_fields` stores
 * no `write_date`, so confirm → draft → confirm yields two byte-identical payloads that are two
 * changes. Push shapes carry `webhook.event`'s stamp and pull rows `update.webhook`'s; Odoo sets
 * both in one transaction, so they agree except when the two fall either side of a second
 * boundary, and the hub's dedupe window merges that case too (server `ingest/ingest.ts`).
 */
export function eventIdentity(
  change: Pick<Change, "model" | "recordId" | "op" | "payload" | "timestamp">,
) {
  return identityAt(change, odooTimeToIso(change.timestamp));
}

/** eventIdentity with the timestamp already parsed (`at`, ISO 8601 UTC): parsed once per change. */
function identityAt(change: Pick<Change, "model" | "recordId" | "op" | "payload">, at: string) {
  const { model, recordId, op, payload } = change;
  return digest([model, recordId, op, payload, at]);
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;
}

function toDraft(change: Change): EventDraft {
  const record: OdooPayload = {};
  for (const [key, value] of Object.entries(change.payload)) {
    if (!META_KEYS.has(key)) record[key] = value;
  }
  const at = odooTimeToIso(change.timestamp);
  return {
    id: identityAt(change, at),
    tenant: change.tenant,
    model: change.model,
    recordId: change.recordId,
    op: change.op,
    at,
    priority: change.priority,
    category: change.category,
    actorUid: change.actorUid,
    changedFields: stringList(change.payload["_changed_fields"]) ?? change.changedFields ?? [],
    record,
    version: recordVersion(record["write_date"]),
    origin: change.origin,
  };
}

/** Cron path (reference §4.1). */
export function normalizeEnvelope(tenant: string, body: OdooEnvelope): EventDraft {
  return toDraft({
    tenant,
    model: body.model,
    recordId: body.record_id,
    op: body.event,
    timestamp: body.timestamp,
    payload: body.data ?? {},
    priority: body.priority ?? null,
    category: body.category ?? null,
    actorUid: null,
    changedFields: body.changed_fields,
    origin: { webhookEventId: body.event_id },
  });
}

/** Instant path (reference §4.2): everything but `_webhook_metadata` is the stored payload. */
export function normalizeRawPush(tenant: string, body: OdooRawPush): EventDraft {
  const { _webhook_metadata: meta, ...payload } = body;
  return toDraft({
    tenant,
    model: meta.model,
    recordId: meta.record_id,
    op: meta.event_type,
    timestamp: meta.timestamp,
    payload,
    priority: null,
    category: null,
    actorUid: null,
    origin: { webhookEventId: meta.event_id },
  });
}

/** Pull path (reference §5.3): one `update.webhook` row. */
export function normalizePullRow(tenant: string, row: OdooPullRow): EventDraft {
  return toDraft({
    tenant,
    model: row.model,
    recordId: row.record_id,
    op: row.event,
    timestamp: row.timestamp,
    payload: row.payload ?? {},
    priority: row.priority,
    category: row.category,
    actorUid: row.user_id,
    origin: { updateWebhookId: row.id },
  });
}
