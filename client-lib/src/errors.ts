import type { ErrorCode } from "@odoo-live/protocol";

/**
 * The hub's codes plus the failures only the client can see: the network (`transport`), no answer
 * in time (`timeout`), a request made while offline (`disconnected`), a server message that
 * does not match the protocol (`invalid_message`) and an OdooSession with no pair (`signed_out`).
 */
export type ClientErrorCode =
  | ErrorCode
  | "transport"
  | "timeout"
  | "disconnected"
  | "invalid_message"
  | "token_expiring"
  | "signed_out";

/** What `on('error')` listeners receive. */
export interface ClientErrorInfo {
  code: ClientErrorCode;
  message: string;
  /** True when the client gave up and closed itself (e.g. a fixed token that was rejected). */
  fatal: boolean;
  cause?: unknown;
}

/** Rejection reason of subscribe() and unsubscribe(). */
export class OdooLiveError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "OdooLiveError";
  }
}

/**
 * A connection that failed below Socket.IO: socket.io-client says only "websocket error"; in Node
 * the cause (refused, unknown host, a server that is not a hub) is the `message` of the error
 * event in `description`. Browsers hide it, so there the URL is all there is to say.
 */
export function unreachable(url: string, error: Error & { description?: unknown }): string {
  const detail = (error.description as { message?: unknown } | undefined)?.message;
  const cause = typeof detail === "string" && detail !== "" ? ` (${detail})` : "";
  return `cannot reach ${url}: ${error.message}${cause}`;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
