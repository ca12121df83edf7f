import type { Context, Handler } from "hono";
import { PyError } from "../py.js";
import { pyLoads } from "../py-json.js";
import { odooError } from "./respond.js";

/** A controller body: gets Odoo's `data` (query args for GET, the decoded JSON body for POST). */
export type DataHandler = (data: unknown) => Response;

export interface EndpointDeps {
  apiKey: string;
  now: () => Date;
}

/** Werkzeug parses these into `request.form`, which leaves `request.httprequest.data` empty. */
const FORM_TYPES = new Set([
  "application/x-www-form-urlencoded",
  "application/x-url-encoded",
  "multipart/form-data",
]);

/**
 * The frame every authenticated route of the module shares: API key (or 401), then the
 * parameters (or 400 "Invalid JSON body"), then the body, whose Python exceptions become
 * 400 "Invalid parameter" (ValueError) or 500 "Internal server error" (anything else).
 */
export function endpoint(deps: EndpointDeps, handler: DataHandler): Handler {
  return async (c) => {
    try {
      if (!authenticated(c, deps.apiKey))
        return odooError("Authentication required", 401, deps.now());
      const data = await requestData(c);
      if (!data.ok) return odooError(`Invalid JSON body: ${data.error}`, 400, deps.now());
      return handler(data.value);
    } catch (error) {
      return failure(error, deps.now());
    }
  };
}

/**
 * A non-empty X-API-Key must equal `webhook.api_key` (plain comparison, as the module does);
 * without one only an Odoo session would do, and the simulator has no sessions.
 */
function authenticated(c: Context, apiKey: string): boolean {
  const key = c.req.header("X-API-Key");
  return key !== undefined && key !== "" && key === apiKey;
}

async function requestData(c: Context): Promise<ReturnType<typeof pyLoads>> {
  if (c.req.method !== "POST") return { ok: true, value: c.req.query() };
  const mimeType = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase();
  const raw = FORM_TYPES.has(mimeType ?? "") ? "" : await c.req.text();
  return pyLoads(raw);
}

function failure(error: unknown, now: Date): Response {
  if (error instanceof PyError && error.isValueError)
    return odooError(`Invalid parameter: ${error.message}`, 400, now);
  return odooError(`Internal server error: ${(error as Error).message}`, 500, now);
}
