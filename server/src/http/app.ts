import { Hono, type Context } from "hono";
import { authRoutes, type AuthRouteDeps } from "./auth-routes.js";
import { adminRoutes, type AdminDeps } from "../admin/routes.js";
import { HttpError } from "./http-error.js";
import { ClientGone } from "./read-body.js";
import type { Logger } from "../ops/logger.js";
import { pushTestRoutes, type PushTestDeps } from "./push-route.js";
import type { Degraded } from "./readiness.js";

export interface AppDeps extends PushTestDeps {
  logger: Logger;
  /** False while starting, draining, or without its stores: send traffic elsewhere. */
  ready: () => Promise<boolean>;
  /** Tenants whose Odoo this node finds failing: reported, but the node still serves. */
  degraded: () => Degraded[];
  /** False when `/metrics` has a port of its own (HUB_METRICS_PORT). */
  serveMetrics: boolean;
  /** Sign-in with Odoo (`/auth/*`). */
  auth: Omit<AuthRouteDeps, "tenants" | "metrics" | "trustProxy" | "logger">;
  /** The admin page's settings; undefined (no HUB_ADMIN_TOKEN): no `/admin` at all. */
  admin: AdminDeps | undefined;
}

export function createApp(deps: AppDeps): Hono {
  // Odoo posts to endpoint_url exactly as typed: tolerate a trailing slash.
  const app = new Hono({ strict: false });
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const degraded = deps.degraded();
    if (!(await deps.ready())) return c.json({ status: "not_ready", degraded }, 503);
    return c.json({ status: degraded.length === 0 ? "ready" : "degraded", degraded });
  });
  if (deps.serveMetrics) app.get("/metrics", (c) => metrics(c, deps));
  app.route("/", pushTestRoutes(deps));
  app.route("/", authRoutes({ ...deps, ...deps.auth }));
  if (deps.admin !== undefined) app.route("/admin", adminRoutes(deps.admin));
  app.notFound((c) => c.json(new HttpError(404, "not_found", "no such route").body(), 404));
  app.onError((error, c) => {
    if (error instanceof HttpError) return c.json(error.body(), error.status, error.headers);
    // The client hung up mid-body: whatever is answered goes nowhere, and it is no fault here.
    if (error instanceof ClientGone) {
      deps.logger.debug({ path: c.req.path }, "request abandoned by its client mid-body");
      return c.body(null, 400);
    }
    deps.logger.error({ err: error }, "unhandled HTTP error");
    return c.json(new HttpError(500, "internal", "internal error").body(), 500);
  });
  return app;
}

/** Prometheus text of the hub's registry. */
export async function metrics(c: Context, deps: Pick<AppDeps, "metrics">): Promise<Response> {
  c.header("Content-Type", deps.metrics.registry.contentType);
  return c.body(await deps.metrics.registry.metrics());
}
