import type { OdooApiError } from "@odoo-live/protocol";
import { naiveIsoMicros } from "../odoo-time.js";
import { pyDumps } from "../py-json.js";

/** The headers every controller answer carries (reference §5.1). */
const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type, X-API-Key",
};

/** `json.dumps(body, indent=2, default=str)` as `application/json`. */
export function odooJson(body: unknown, status = 200): Response {
  return new Response(pyDumps(body, { indent: 2 }), {
    status,
    headers: { "Content-Type": "application/json", ...CORS },
  });
}

export function odooError(message: string, status: number, now: Date): Response {
  const body: OdooApiError = { error: true, message, timestamp: naiveIsoMicros(now) };
  return odooJson(body, status);
}

/**
 * Odoo's own answer to a preflight on a `cors='*'` route: 204 before the controller (and its
 * authentication) runs. Note that it does not allow X-API-Key.
 */
export function preflight(methods: readonly string[]): Response {
  return new Response(null, {
    status: 204,
    headers: {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": [...new Set([...methods, "OPTIONS"])].join(", "),
      "Access-Control-Max-Age": "86400",
      "Access-Control-Allow-Headers":
        "Origin, X-Requested-With, Content-Type, Accept, Authorization",
    },
  });
}
