import type { OdooHealthResponse } from "@odoo-live/protocol";
import type { Handler } from "hono";
import { naiveIsoMicros } from "../odoo-time.js";
import type { RestDeps } from "./deps.js";
import { odooJson } from "./respond.js";

/** `GET /api/webhooks/health` (reference §5.6): no auth; the version string is the code's. */
export function health(deps: RestDeps): Handler {
  return () => {
    const body: OdooHealthResponse = {
      status: "healthy",
      version: "2.0.0",
      module: "auto_webhook",
      pending_events: deps.ledger.pendingCount(),
      timestamp: naiveIsoMicros(deps.now()),
    };
    return odooJson(body);
  };
}
