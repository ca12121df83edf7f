import { Hono } from "hono";
import type { Faults } from "./faults.js";
import type { RestDeps } from "./rest/deps.js";
import { restRoutes } from "./rest/routes.js";
import { jsonRpc, type RpcDeps } from "./rpc/route.js";
import { werkzeugPage } from "./werkzeug.js";

export interface AppDeps {
  rest: RestDeps;
  rpc: RpcDeps;
  faults: Faults;
  /** Aborted on close: ends the "slow" fault's waits. */
  closing: AbortSignal;
}

/** What the Odoo server answers: the module's REST routes and `/jsonrpc`, behind the faults. */
export function createApp(deps: AppDeps): Hono {
  // Werkzeug routing: strict slashes, so `/api/webhooks/pull/` is a 404.
  const app = new Hono();
  app.use(deps.faults.middleware(deps.closing));
  app.use("/api/*", async (c, next) => {
    // Without a database Odoo only knows its `nodb` routes; /jsonrpc names its database itself.
    const db = deps.rpc.db;
    if (db !== undefined && c.req.query("db") !== db && c.req.header("X-Odoo-Database") !== db)
      return werkzeugPage(404);
    await next();
  });
  app.route("/api/webhooks", restRoutes(deps.rest));
  app.post("/jsonrpc", jsonRpc(deps.rpc));
  app.notFound(() => werkzeugPage(404));
  app.onError(() => werkzeugPage(500));
  return app;
}
