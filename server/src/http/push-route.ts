import { parseOdooPush, type PushReply } from "@odoo-live/protocol";
import { Hono, type Context } from "hono";
import type { HttpBindings } from "@hono/node-server";
import type { Tenant } from "../config/tenants.js";
import { duplicateReason, type Ingestor } from "../ingest/ingest.js";
import { checkPushAuth } from "../ingest/push-auth.js";
import { contentOf } from "../ingest/push.js";
import type { Logger } from "../ops/logger.js";
import type { Metrics } from "../ops/metrics.js";
import { TokenBuckets } from "../ops/token-bucket.js";
import { HttpError } from "./http-error.js";
import { readBody } from "./read-body.js";

export interface PushDeps {
  tenants: ReadonlyMap<string, Tenant>;
  ingestor: Ingestor;
  metrics: Metrics;
  logger: Logger;
  maxBodyBytes: number;
}

type Env = { Bindings: HttpBindings; Variables: { tenantId: string; tenant: Tenant } };

const PATHS = ["/webhooks/odoo", "/webhooks/odoo/:tenant"];

/** Odoo's push receiver: one `webhook.subscriber` endpoint per tenant. */
export function pushRoutes(deps: PushDeps): Hono<Env> {
  const app = new Hono<Env>();
  const buckets = new Map(
    [...deps.tenants].map(([id, t]) => [
      id,
      new TokenBuckets({ perSecond: t.push.ratePerSecond, burst: t.push.burst }),
    ]),
  );
  for (const path of PATHS) {
    app.use(path, async (c, next) => {
      const tenantId = c.req.param("tenant") ?? "default";
      const tenant = deps.tenants.get(tenantId);
      if (tenant === undefined)
        throw new HttpError(404, "unknown_tenant", `unknown tenant: ${tenantId}`);
      c.set("tenantId", tenantId);
      c.set("tenant", tenant);
      await next();
      deps.metrics.pushes.inc({ tenant: tenantId, status: String(c.res.status) });
    });
  }
  // Odoo's "Test connection" starts with a HEAD request; hono answers HEAD from the GET route.
  for (const path of PATHS) {
    app.get(path, (c) => c.json({ ok: true, tenant: c.get("tenantId") }));
    app.post(path, authenticate(), limitRate(buckets), (c) => receive(c, deps));
  }
  return app;
}

function authenticate() {
  return async (c: Context<Env>, next: () => Promise<void>) => {
    const auth = checkPushAuth((name) => c.req.header(name), c.get("tenant").push);
    if (!auth.ok) throw new HttpError(401, "unauthorized", auth.message);
    await next();
  };
}

function limitRate(buckets: Map<string, TokenBuckets>) {
  return async (c: Context<Env>, next: () => Promise<void>) => {
    if (buckets.get(c.get("tenantId"))?.take("push") === false) {
      c.header("Retry-After", "1");
      throw new HttpError(
        429,
        "rate_limited",
        `push rate limit exceeded for tenant ${c.get("tenantId")}`,
      );
    }
    await next();
  };
}

async function receive(c: Context<Env>, deps: PushDeps) {
  const tenantId = c.get("tenantId");
  const parsed = parseOdooPush(parseJson(await readBody(c.env.incoming, deps.maxBodyBytes)));
  if (!parsed.ok) throw new HttpError(400, "invalid_body", parsed.message, parsed.issues);
  const content = contentOf(tenantId, parsed.push);
  if (content.kind === "test") return c.json<PushReply>({ ok: true, test: content.test });
  let result;
  try {
    result = await deps.ingestor.ingest(content.draft, "push");
  } catch (error) {
    deps.logger.error({ err: error, tenant: tenantId }, "event log append failed");
    throw new HttpError(503, "unavailable", "the event log cannot be written; retry later");
  }
  if (result.status === "duplicate") {
    const { id } = content.draft;
    return c.json<PushReply>({ ok: true, id, duplicate: true, ...duplicateReason(result.key) });
  }
  const { id, seq } = result.event;
  return c.json<PushReply>({ ok: true, id, seq, duplicate: false });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, "invalid_json", `body is not JSON: ${(error as Error).message}`);
  }
}
