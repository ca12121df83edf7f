import type { SubscriberConfig } from "../types.js";

/** `requests` session defaults: what goes out when Odoo sets no header of its own. */
export const REQUESTS_DEFAULTS: Readonly<Record<string, string>> = {
  "User-Agent": "python-requests/2.31.0",
  "Accept-Encoding": "gzip, deflate",
  Accept: "*/*",
  Connection: "keep-alive",
};

export type HeaderResult = { ok: true; headers: Record<string, string> } | { ok: false };

/** An empty Char field is `False` in Python, and f-strings print it. */
function pyText(token: string | undefined): string {
  return token === undefined || token === "" ? "False" : token;
}

function apiKeyHeader(sub: SubscriberConfig): string {
  return sub.apiKeyHeader === undefined || sub.apiKeyHeader === "" ? "X-API-Key" : sub.apiKeyHeader;
}

/**
 * The instant path (§4.2) sets the credential whatever it is: an empty bearer or basic token
 * becomes the text "False"; an empty API key is the value `False`, which `requests` refuses
 * before sending anything (InvalidHeader).
 */
export function instantHeaders(sub: SubscriberConfig): HeaderResult {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (sub.authType === "bearer") headers["Authorization"] = `Bearer ${pyText(sub.token)}`;
  if (sub.authType === "basic") headers["Authorization"] = `Basic ${pyText(sub.token)}`;
  if (sub.authType === "api_key") {
    if (sub.token === undefined || sub.token === "") return { ok: false };
    headers[apiKeyHeader(sub)] = sub.token;
  }
  return { ok: true, headers };
}

/** The cron path (§4.1): its own User-Agent, and auth only when the credential is non-empty. */
export function cronHeaders(sub: SubscriberConfig): HeaderResult {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "User-Agent": "Odoo-Webhook/1.0",
  };
  const token = sub.token ?? "";
  if (token !== "" && sub.authType === "bearer") headers["Authorization"] = `Bearer ${token}`;
  if (token !== "" && sub.authType === "basic") headers["Authorization"] = `Basic ${token}`;
  if (token !== "" && sub.authType === "api_key") headers[apiKeyHeader(sub)] = token;
  return { ok: true, headers };
}
