/** Why a call to Odoo failed; `retryable` tells a poller whether backing off can help. */
export type OdooErrorKind = "network" | "timeout" | "http" | "invalid_response" | "api" | "auth";

/**
 * What a failed call says about the Odoo instance: it refuses the hub's credentials (401, 403,
 * AccessDenied), does not have the module (404 over REST, a missing model or database over
 * JSON-RPC: not installed, or the wrong database), cannot be reached (no connection, no answer in time), or answers with errors.
 */
export type OdooFault = "unauthorized" | "not_found" | "unreachable" | "failing";

/** JSON-RPC's answer when the module's model, or the database, is not there. */
const MISSING = /Object update\.webhook doesn't exist|database "[^"]*" does not exist/;

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
    if (this.status === 404 || (this.kind === "api" && MISSING.test(this.message)))
      return "not_found";
    if (this.kind === "network" || this.kind === "timeout") return "unreachable";
    return "failing";
  }
}
