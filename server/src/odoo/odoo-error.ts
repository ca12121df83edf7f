import type { z } from "zod";

/** Why a call to Odoo failed; `retryable` tells a poller whether backing off can help. */
export type OdooErrorKind = "network" | "timeout" | "http" | "invalid_response" | "api" | "auth";

export class OdooError extends Error {
  constructor(
    readonly kind: OdooErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.kind !== "auth";
  }
}

/** A zod error as one line: `path: message; …`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
}
