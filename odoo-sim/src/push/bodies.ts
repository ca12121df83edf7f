import type { OdooEnvelope, OdooRawPush } from "@odoo-live/protocol";
import { defaultRule } from "../catalog.js";
import { naiveIso } from "../odoo-time.js";
import type { LedgerRow } from "../types.js";

/**
 * The instant path's body (reference §4.2): the stored payload with `_webhook_metadata`
 * appended; no top-level model, record_id or event.
 */
export function rawBody(eventId: number, row: LedgerRow): OdooRawPush {
  return {
    ...row.payload,
    _webhook_metadata: {
      event_id: eventId,
      event_type: row.event,
      model: row.model,
      record_id: row.record_id,
      timestamp: naiveIso(row.timestamp),
    },
  };
}

/**
 * The cron path's envelope (reference §4.1). `data` only when the payload is non-empty;
 * `changed_fields` only for writes tracked by the config path, the only one that stores them.
 */
export function envelopeBody(eventId: number, row: LedgerRow): OdooEnvelope {
  const changed = configPathChangedFields(row);
  return {
    event_id: eventId,
    model: row.model,
    record_id: row.record_id,
    event: row.event,
    timestamp: naiveIso(row.timestamp),
    priority: row.priority,
    category: row.category,
    ...(Object.keys(row.payload).length > 0 ? { data: row.payload } : {}),
    ...(row.event === "write" && changed.length > 0 ? { changed_fields: changed } : {}),
  };
}

function configPathChangedFields(row: LedgerRow): string[] {
  if (defaultRule(row.model, row.event) !== undefined) return [];
  const changed = row.payload["_changed_fields"];
  return Array.isArray(changed) ? changed.filter((f): f is string => typeof f === "string") : [];
}
