import type { ErrorCode, HttpErrorResponse, Issue } from "@odoo-live/protocol";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** An error that knows its HTTP status and JSON body (`{ error: { code, message, issues? } }`). */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
  }

  body(): HttpErrorResponse {
    const error = { code: this.code, message: this.message };
    return { error: this.issues === undefined ? error : { ...error, issues: this.issues } };
  }
}
