import { setTimeout as delay } from "node:timers/promises";
import type { MiddlewareHandler } from "hono";
import { rpcErrorResponse } from "./rpc/reply.js";
import type { Fault } from "./types.js";
import { werkzeugPage } from "./werkzeug.js";

/** The outage the simulator is currently playing. */
export class Faults {
  private fault: Fault = null;

  set(fault: Fault): void {
    this.fault = fault;
  }

  /** Connections are closed before any answer. */
  refuses(): boolean {
    return this.fault === "refuse";
  }

  /** `/pull`'s model method fails, which the module reports as a 200 "success" (§5.3). */
  hiddenError(): boolean {
    return this.fault === "hidden-error";
  }

  /** The faults every route shares: answered before routing, or a delay before it. */
  middleware(signal: AbortSignal): MiddlewareHandler {
    return async (c, next) => {
      const fault = this.fault;
      if (fault === "down") return werkzeugPage(503);
      if (fault === "rpc-error") return rpcErrorResponse(await requestId(c.req.raw), OUTAGE);
      if (typeof fault === "object" && fault !== null)
        await delay(fault.slowMs, undefined, { signal });
      await next();
    };
  }
}

/** What the database says while the simulator plays "rpc-error". */
const OUTAGE = {
  name: "psycopg2.OperationalError",
  message:
    "terminating connection due to administrator command\nserver closed the connection unexpectedly\n",
};

/** The JSON-RPC id of the request, when it is one; null otherwise (as Odoo answers). */
async function requestId(request: Request): Promise<unknown> {
  const body: unknown = await request.json().catch(() => null);
  return typeof body === "object" && body !== null && "id" in body ? body.id : null;
}
