import { issuesText } from "@odoo-live/protocol";
import { z } from "zod";
import { OdooError } from "./odoo-error.js";

export interface OdooEndpoint {
  url: string;
  db?: string | undefined;
  timeoutMs: number;
}

/**
 * One JSON request to Odoo. Odoo may answer with its own HTML error pages (routing, database
 * selection), the module's `{error: true, message}` bodies, or JSON-RPC error objects with a
 * 200: each becomes an OdooError naming what Odoo said.
 */
export async function odooRequest<T>(
  endpoint: OdooEndpoint,
  path: string,
  init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: unknown },
  schema: z.core.$ZodType<T>,
): Promise<T> {
  const text = await send(endpoint, path, init);
  return parseAnswer(text.status, text.body, path, schema);
}

async function send(
  endpoint: OdooEndpoint,
  path: string,
  init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: unknown },
): Promise<{ status: number; body: string }> {
  const url = new URL(path, endpoint.url);
  if (endpoint.db !== undefined) url.searchParams.set("db", endpoint.db);
  try {
    const response = await fetch(url, {
      method: init.method,
      headers: { "Content-Type": "application/json", ...init.headers },
      body: init.body === undefined ? null : JSON.stringify(init.body),
      signal: AbortSignal.timeout(endpoint.timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    const cause = error as Error;
    if (cause.name === "TimeoutError") {
      throw new OdooError("timeout", `${path}: no answer within ${endpoint.timeoutMs} ms`);
    }
    throw new OdooError("network", `${path}: ${networkReason(cause)}`);
  }
}

function parseAnswer<T>(status: number, body: string, path: string, schema: z.core.$ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    const excerpt = body.replace(/\s+/g, " ").slice(0, 160);
    throw new OdooError("http", `${path}: HTTP ${status}, not JSON: ${excerpt}`, status);
  }
  const failure = failureIn(json);
  if (failure !== undefined) {
    const kind = status === 401 || failure.accessDenied ? "auth" : "api";
    throw new OdooError(kind, `${path}: ${failure.message}`, status);
  }
  if (status < 200 || status >= 300) throw new OdooError("http", `${path}: HTTP ${status}`, status);
  const parsed = z.safeParse(schema, json);
  if (parsed.success) return parsed.data;
  const issues = issuesText(parsed.error);
  throw new OdooError("invalid_response", `${path}: unexpected answer: ${issues}`, status);
}

/** The module's error body, its hidden `error` key on a 200 pull, or a JSON-RPC error. */
function failureIn(json: unknown): { message: string; accessDenied: boolean } | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const body = json as { error?: unknown; message?: unknown };
  if (body.error === true) return { message: String(body.message), accessDenied: false };
  if (typeof body.error === "string") return { message: body.error, accessDenied: false };
  if (typeof body.error === "object" && body.error !== null) {
    const rpc = body.error as { message?: unknown; data?: { name?: unknown; message?: unknown } };
    const name = text(rpc.data?.name) ?? "";
    const message = text(rpc.data?.message) ?? text(rpc.message) ?? "JSON-RPC error";
    return {
      message: name === "" ? message : `${name}: ${message}`,
      accessDenied: /AccessDenied/.test(name),
    };
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** fetch's "fetch failed" with the system's reason behind it (ECONNREFUSED, ENOTFOUND, …). */
export function networkReason(error: Error): string {
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = typeof cause?.code === "string" ? cause.code : cause?.message;
  return typeof detail === "string" && detail !== ""
    ? `${error.message} (${detail})`
    : error.message;
}
