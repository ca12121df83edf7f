import type { OdooPullResponse, OdooPullRow } from "@odoo-live/protocol";
import { naiveIso, naiveIsoMicros } from "../odoo-time.js";
import { pyGet, pyInt, pyTruthy } from "../py.js";
import type { LedgerRow } from "../types.js";
import type { Users } from "../users.js";
import type { RestDeps } from "./deps.js";
import type { DataHandler } from "./endpoint.js";
import { odooJson } from "./respond.js";

/** What the simulated database failure says in the `hidden-error` fault. */
const HIDDEN_FAILURE = "could not serialize access due to concurrent update\n";

/** `GET|POST /api/webhooks/pull` (reference §5.3). */
export function pull(deps: RestDeps): DataHandler {
  return (data) => {
    const lastEventId = pyInt(pyGet(data, "last_event_id", 0));
    const limit = Math.min(pyInt(pyGet(data, "limit", 100)), 1000);
    const models = modelFilter(pyGet(data, "models"));
    const priority = pyGet(data, "priority");
    const now = deps.now();
    // The model method catches its own failures, so they come back as a 200 "success".
    if (deps.faults.hiddenError()) return hiddenFailure(lastEventId, HIDDEN_FAILURE, now);
    if (limit < 0) return hiddenFailure(lastEventId, "LIMIT must not be negative\n", now);
    const rows = deps.ledger.pull({
      after: lastEventId,
      // `search(limit=0)` means no limit.
      limit: limit === 0 ? undefined : limit,
      models,
      priority: pyTruthy(priority) ? priority : undefined,
    });
    const lastId = rows.at(-1)?.id ?? lastEventId;
    const body: OdooPullResponse = {
      events: rows.map((row) => pullRow(row, deps.users)),
      last_id: lastId,
      has_more: rows.length > 0 && deps.ledger.hasPendingAfter(lastId),
      count: rows.length,
      success: true,
      timestamp: naiveIsoMicros(now),
    };
    return odooJson(body);
  };
}

/** `models`: a list, or a comma-separated string; anything empty means no filter. */
function modelFilter(value: unknown): readonly unknown[] | undefined {
  if (!pyTruthy(value)) return undefined;
  if (typeof value === "string") return value.split(",").map((m) => m.trim());
  return Array.isArray(value) ? (value as unknown[]) : [value];
}

function pullRow(row: LedgerRow, users: Users): OdooPullRow {
  return {
    id: row.id,
    model: row.model,
    record_id: row.record_id,
    event: row.event,
    timestamp: naiveIso(row.timestamp),
    payload: row.payload,
    priority: row.priority,
    category: row.category,
    user_id: row.user_id,
    user_name: row.user_id === null ? null : users.name(row.user_id),
  };
}

function hiddenFailure(lastEventId: number, error: string, now: Date): Response {
  return odooJson({
    events: [],
    last_id: lastEventId,
    has_more: false,
    count: 0,
    error,
    success: true,
    timestamp: naiveIsoMicros(now),
  } satisfies OdooPullResponse);
}
