import type { ErrorCode, HttpErrorResponse, Issue } from "@odoo-live/protocol";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** An error that knows its HTTP status and JSON body (`{ error: { code, message, issues? } }`). */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
    /** Headers the answer carries (`Retry-After`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): HttpErrorResponse {
    const error = { code: this.code, message: this.message };
    return { error: this.issues === undefined ? error : { ...error, issues: this.issues } };
  }
}

/** 429 with `Retry-After` in whole seconds (at least 1). */
export function rateLimited(retryAfterMs: number, message: string): HttpError {
  const retryAfter = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  return new HttpError(429, "rate_limited", message, undefined, { "Retry-After": retryAfter });
}
