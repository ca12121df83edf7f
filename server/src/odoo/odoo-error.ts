/** Why a call to Odoo failed; `retryable` tells a poller whether backing off can help. */
export type OdooErrorKind = "network" | "timeout" | "http" | "invalid_response" | "api" | "auth";

/**
 * What a failed call says about the Odoo instance: it refuses the hub's credentials (401, 403,
 * AccessDenied), does not have the module's routes (404: not installed, or the wrong database),
 * cannot be reached (no connection, no answer in time), or answers with errors.
 */
export type OdooFault = "unauthorized" | "not_found" | "unreachable" | "failing";

export class OdooError extends Error {
  constructor(
    readonly kind: OdooErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }

  /** Credentials Odoo refused stay refused until someone changes them. */
  get retryable(): boolean {
    return this.fault !== "unauthorized";
  }

  /**
   * Read as a fault of the instance: meant for calls that every healthy instance answers (the
   * pull), not for a 404 about one record (a sync state that does not exist).
   */
  get fault(): OdooFault {
    if (this.kind === "auth" || this.status === 401 || this.status === 403) return "unauthorized";
    if (this.status === 404) return "not_found";
    if (this.kind === "network" || this.kind === "timeout") return "unreachable";
    return "failing";
  }
}
