import type { ClientErrorCode } from "./errors.js";

/** What to do after the hub refused a handshake (the socket will not retry by itself). */
export type ConnectErrorAction = "retry" | "reset_cursor" | "stop";

export interface ConnectErrorContext {
  /** A token function may return a fresh token next time; a fixed string never changes. */
  tokenIsFunction: boolean;
  /** The stored cursor was already dropped once since the last successful connection. */
  cursorAlreadyReset: boolean;
}

export function connectErrorAction(
  code: ClientErrorCode,
  context: ConnectErrorContext,
): ConnectErrorAction {
  switch (code) {
    // The tenant comes from the token's claims too, so only another token can change it.
    case "token_expired":
    case "token_invalid":
    case "token_missing":
    case "unknown_tenant":
      return context.tokenIsFunction ? "retry" : "stop";
    case "invalid_cursor":
      // Resuming without a cursor lets the hub start from the device's acked position.
      return context.cursorAlreadyReset ? "stop" : "reset_cursor";
    case "invalid_handshake":
    case "model_forbidden":
      // The same handshake would be refused again: retrying only adds load.
      return "stop";
    default:
      // unavailable, rate_limited, internal, unknown codes: the hub may accept later.
      return "retry";
  }
}
