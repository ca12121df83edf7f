import type { OdooMarkProcessedResponse } from "@odoo-live/protocol";
import { naiveIsoMicros, wholeSeconds } from "../odoo-time.js";
import { pyGet, pyTruthy } from "../py.js";
import type { RestDeps } from "./deps.js";
import type { DataHandler } from "./endpoint.js";
import { odooError, odooJson } from "./respond.js";

/** `POST /api/webhooks/mark-processed` (reference §5.4): a global flag, no ownership check. */
export function markProcessed(deps: RestDeps): DataHandler {
  return (data) => {
    const ids = pyGet(data, "event_ids", []);
    const now = deps.now();
    if (!pyTruthy(ids) || !Array.isArray(ids))
      return odooError("event_ids must be a non-empty list", 400, now);
    if (!deps.ledger.markProcessed(ids, wholeSeconds(now)))
      return odooError("Failed to mark events as processed", 500, now);
    const body: OdooMarkProcessedResponse = {
      success: true,
      // The request's length, not the number of rows that changed.
      processed_count: ids.length,
      message: `${ids.length} event(s) marked as processed`,
      timestamp: naiveIsoMicros(now),
    };
    return odooJson(body);
  };
}
