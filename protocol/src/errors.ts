import * as z from "zod/mini";
import { Issue } from "./odoo-push.js";

/**
 * Every error the hub reports, over HTTP (`{ error: { code, message, issues? } }`), in a Socket.IO
 * `connect_error` (`message`, `data.code`) or in an acknowledgement (`{ ok: false, error }`).
 */
export const ErrorCode = z.enum([
  // HTTP push receiver
  "invalid_json",
  "invalid_body",
  "unauthorized",
  "unknown_tenant",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
  "unavailable",
  "not_found",
  // Sign-in with Odoo (HTTP /auth/*)
  "signin_disabled",
  "signin_failed",
  "refresh_invalid",
  // Socket.IO handshake
  "invalid_handshake",
  "token_missing",
  "token_invalid",
  "token_expired",
  "invalid_cursor",
  // Socket.IO requests
  "invalid_request",
  "model_forbidden",
  "internal",
  // Sent to a session that a newer connection of the same device replaced
  "session_replaced",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  issues: z.optional(z.array(Issue)),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The JSON body of every 4xx/5xx answer of the hub's HTTP API. */
export const HttpErrorResponse = z.object({ error: ErrorBody });
export type HttpErrorResponse = z.infer<typeof HttpErrorResponse>;

/** `connect_error` carries the human text in `message` and the code in `data`. */
export const ConnectErrorData = z.object({ code: ErrorCode });
export type ConnectErrorData = z.infer<typeof ConnectErrorData>;
