import { Hono } from "hono";
import type { HttpBindings } from "@hono/node-server";
import { requestAddress } from "../ops/client-address.js";
import { unknownTenant, type PushDeps } from "./push-receiver.js";

/** What Odoo's Test connection needs of the push receiver's dependencies. */
export type PushTestDeps = Pick<PushDeps, "tenants" | "metrics" | "notices" | "trustProxy">;

type Env = { Bindings: HttpBindings };

const PATHS = ["/webhooks/odoo", "/webhooks/odoo/:tenant"];

/**
 * Odoo's "Test connection" on the push receiver's paths: it starts with a HEAD request, which
 * hono answers from the GET route, counted with the pushes. The pushes themselves (POST) are
 * push-receiver.ts's.
 */
export function pushTestRoutes(deps: PushTestDeps): Hono<Env> {
  const app = new Hono<Env>();
  for (const path of PATHS) {
    app.get(path, (c) => {
      const tenant = c.req.param("tenant") ?? "default";
      if (deps.tenants.has(tenant)) {
        deps.metrics.pushes.inc({ tenant, status: "200" });
        return c.json({ ok: true, tenant });
      }
      throw unknownTenant(deps, tenant, requestAddress(c.env.incoming, deps.trustProxy));
    });
  }
  return app;
}
