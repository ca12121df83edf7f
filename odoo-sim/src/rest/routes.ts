import { Hono, type Handler } from "hono";
import { werkzeugPage } from "../werkzeug.js";
import type { RestDeps } from "./deps.js";
import { endpoint } from "./endpoint.js";
import { health } from "./health.js";
import { markProcessed } from "./mark-processed.js";
import { pull } from "./pull.js";
import { preflight } from "./respond.js";
import { stats } from "./stats.js";
import { syncState, syncStateUpdate } from "./sync-state.js";
import { syncStats } from "./sync-stats.js";

interface Route {
  path: string;
  methods: readonly string[];
  handler: Handler;
}

/** The module's controller (`controllers/webhook_api.py`, reference §5.2). */
export function restRoutes(deps: RestDeps): Hono {
  const app = new Hono();
  const routes: Route[] = [
    { path: "/pull", methods: ["GET", "POST"], handler: endpoint(deps, pull(deps)) },
    { path: "/mark-processed", methods: ["POST"], handler: endpoint(deps, markProcessed(deps)) },
    { path: "/stats", methods: ["GET"], handler: endpoint(deps, stats(deps)) },
    { path: "/health", methods: ["GET"], handler: health(deps) },
    { path: "/options", methods: ["OPTIONS"], handler: () => preflight(["OPTIONS"]) },
    { path: "/sync-state", methods: ["GET", "POST"], handler: endpoint(deps, syncState(deps)) },
    {
      path: "/sync-state/update",
      methods: ["POST"],
      handler: endpoint(deps, syncStateUpdate(deps)),
    },
    { path: "/sync-state/stats", methods: ["GET"], handler: endpoint(deps, syncStats(deps)) },
  ];
  for (const route of routes) mount(app, route);
  return app;
}

/**
 * Every route is `cors='*'`: Odoo answers OPTIONS itself. Other methods get werkzeug's 405
 * (HEAD rides on GET).
 */
function mount(app: Hono, { path, methods, handler }: Route): void {
  app.on([...methods], path, handler);
  app.options(path, () => preflight(methods));
  const allowed = [
    ...new Set([...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"]),
  ];
  app.all(path, () => werkzeugPage(405, { Allow: allowed.sort().join(", ") }));
}
