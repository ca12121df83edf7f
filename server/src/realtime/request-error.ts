import type { ErrorBody } from "@odoo-live/protocol";

/** A refused request: its body is the acknowledgement's `error`. */
export class RequestError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
  }
}
