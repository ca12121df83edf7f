import {
  canonicalEntries,
  canonicalJson,
  canonicalObject,
  portableHash,
  rememberCanonical,
  type Hasher,
} from "./canonical.js";
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
 * order aside), and, when the payload has no `write_date`, the time Odoo stamped it. Odoo writes
 * `write_date` to the microsecond and every payload carries it unless a rule's `tracked_fields`
 * leave it out; such a rule's confirm → draft → confirm yields two byte-identical payloads that
 * are two changes, told apart by the stamp. The stamp is not taken when `write_date` is there:
 * push shapes carry `webhook.event`'s stamp and pull rows `update.webhook`'s, in whole seconds,
 * set moments apart, so they differ when the two fall either side of a second boundary, and the
 * copies of one change would then have two ids (the hub's dedupe window merges them, but a
 * catch-up from Odoo after a restart would hand the device the other copy again).
 */
export function eventIdentity(
  change: Pick<Change, "model" | "recordId" | "op" | "payload" | "timestamp">,
  hash: Hasher = portableHash,
) {
  const payload = canonicalObject(canonicalEntries(change.payload));
  return identityOf(change, payload, odooTimeToIso(change.timestamp), hash);
}

/**
 * canonicalJson([model, recordId, op, payload]) when the payload has a `write_date`, else
 * canonicalJson([model, recordId, op, payload, at]); from the payload's canonical form.
 */
function identityOf(
  change: Pick<Change, "model" | "recordId" | "op" | "payload">,
  payload: string,
  at: string,
  hash: Hasher,
): string {
  const head = [change.model, change.recordId, change.op].map((v) => canonicalJson(v)).join(",");
  if (typeof change.payload["write_date"] === "string") return hash(`[${head},${payload}]`);
  return hash(`[${head},${payload},${JSON.stringify(at)}]`);
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : undefined;
}

/**
 * The payload is canonicalized once: its entries give both the event id (whole payload) and the
 * record's canonical form (without META_KEYS), remembered for the hub's content key.
 */
function toDraft(change: Change, hash: Hasher): EventDraft {
  const entries = canonicalEntries(change.payload);
  const record: OdooPayload = {};
  for (const [key, value] of Object.entries(change.payload)) {
    if (!META_KEYS.has(key)) record[key] = value;
  }
  rememberCanonical(record, canonicalObject(entries.filter(([key]) => !META_KEYS.has(key))));
  const at = odooTimeToIso(change.timestamp);
  return {
    id: identityOf(change, canonicalObject(entries), at, hash),
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
export function normalizeEnvelope(
  tenant: string,
  body: OdooEnvelope,
  hash: Hasher = portableHash,
): EventDraft {
  return toDraft(
    {
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
    },
    hash,
  );
}

/** Instant path (reference §4.2): everything but `_webhook_metadata` is the stored payload. */
export function normalizeRawPush(
  tenant: string,
  body: OdooRawPush,
  hash: Hasher = portableHash,
): EventDraft {
  const { _webhook_metadata: meta, ...payload } = body;
  return toDraft(
    {
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
    },
    hash,
  );
}

/** Pull path (reference §5.3): one `update.webhook` row. */
export function normalizePullRow(
  tenant: string,
  row: OdooPullRow,
  hash: Hasher = portableHash,
): EventDraft {
  return toDraft(
    {
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
    },
    hash,
  );
}
