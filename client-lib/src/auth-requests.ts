import { isWireMessage, type TokenPair } from "@odoo-live/protocol";
import { OdooLiveError, messageOf } from "./errors.js";

export interface AuthTarget {
  url: string;
  tenant: string | undefined;
  timeoutMs: number;
}

/**
 * `POST {url}/auth/{action}[/{tenant}]` (PROTOCOL §9): sign-in and refresh resolve with the token
 * pair, logout with its 204. Rejects with an OdooLiveError carrying the hub's error code, or
 * `transport` / `timeout` when no answer came (nothing is known to have changed on the hub).
 */
export function postAuth(
  target: AuthTarget,
  action: "odoo" | "refresh",
  body: object,
): Promise<TokenPair>;
export function postAuth(target: AuthTarget, action: "logout", body: object): Promise<undefined>;
export async function postAuth(
  target: AuthTarget,
  action: "odoo" | "refresh" | "logout",
  body: object,
): Promise<TokenPair | undefined> {
  const path = `/auth/${action}${target.tenant === undefined ? "" : `/${encodeURIComponent(target.tenant)}`}`;
  const signal = AbortSignal.timeout(target.timeoutMs);
  let status: number;
  let text: string;
  let retryAfter: string | null;
  try {
    const response = await fetch(new URL(path, target.url).href, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
    ({ status } = response);
    retryAfter = response.headers.get("retry-after");
    text = await response.text();
  } catch (error) {
    if (signal.aborted) {
      throw new OdooLiveError("timeout", `${path}: no answer within ${target.timeoutMs} ms`);
    }
    throw new OdooLiveError(
      "transport",
      `${path}: cannot reach ${target.url}: ${messageOf(error)}`,
    );
  }
  if (status === 204 && action === "logout") return undefined;
  const answer = parseJson(text);
  if (status === 200 && isWireMessage("TokenPair", answer)) return answer;
  if (isWireMessage("HttpErrorResponse", answer)) {
    const wait = retryAfter === null ? "" : ` (retry after ${retryAfter} s)`;
    throw new OdooLiveError(answer.error.code, `${path}: ${answer.error.message}${wait}`);
  }
  const message = `${path}: the hub answered ${status} with a body that does not match the protocol`;
  throw new OdooLiveError("invalid_message", message);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
