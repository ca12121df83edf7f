import { parseOdooPush, type PushReply } from "@odoo-live/protocol";
import { Hono, type Context } from "hono";
import type { HttpBindings } from "@hono/node-server";
import type { Tenant } from "../config/tenants.js";
import { duplicateReason, type Ingestor } from "../ingest/ingest.js";
import { checkPushAuth } from "../ingest/push-auth.js";
import { contentOf } from "../ingest/push.js";
import type { Logger } from "../ops/logger.js";
import type { Metrics } from "../ops/metrics.js";
import { clientAddress } from "../ops/client-address.js";
import { ClearedAddresses } from "../ops/cleared-addresses.js";
import type { Limiter } from "../ops/limiter.js";
import type { ThrottledLog } from "../ops/throttled-log.js";
import { TokenBuckets } from "../ops/token-bucket.js";
import { TooManyUsers } from "../routing/routes.js";
import { HttpError } from "./http-error.js";
import { parseJsonBody } from "./json-body.js";
import { readBody } from "./read-body.js";

export interface PushDeps {
  tenants: ReadonlyMap<string, Tenant>;
  ingestor: Ingestor;
  metrics: Metrics;
  logger: Logger;
  maxBodyBytes: number;
  /** Failed authentications per client address: past the limit, 429 before any check. */
  authFailures: Limiter;
  trustProxy: boolean;
  /** Deepest nesting of objects and arrays a push body may have (400 beyond). */
  maxJsonDepth: number;
  /** Refused pushes are logged through it, rate limited per tenant and status. */
  notices: ThrottledLog;
}

type Env = {
  Bindings: HttpBindings;
  Variables: { tenantId: string; tenant: Tenant; address: string };
};

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
      const { incoming } = c.env;
      const forwarded = incoming.headers["x-forwarded-for"];
      const address = clientAddress(forwarded, incoming.socket.remoteAddress, deps.trustProxy);
      c.set("address", address);
      if (tenant === undefined) {
        const error = new HttpError(404, "unknown_tenant", `unknown tenant: ${tenantId}`);
        // The key is shared: the tenant in the URL is the client's choice.
        logRefused(deps, error, "?", { tenant: tenantId.slice(0, 100), address });
        throw error;
      }
      c.set("tenantId", tenantId);
      c.set("tenant", tenant);
      await next();
      deps.metrics.pushes.inc({ tenant: tenantId, status: String(c.res.status) });
      if (c.error instanceof HttpError)
        logRefused(deps, c.error, tenantId, { tenant: tenantId, address });
    });
  }
  const addresses = new ClearedAddresses(deps.authFailures);
  // Odoo's "Test connection" starts with a HEAD request; hono answers HEAD from the GET route.
  for (const path of PATHS) {
    app.get(path, (c) => c.json({ ok: true, tenant: c.get("tenantId") }));
    app.post(path, authenticate(addresses), limitRate(buckets), (c) => receive(c, deps));
  }
  return app;
}

/**
 * Checks the push credentials. An address that failed too often is refused (429) before any
 * check until its window ends, so guessing the token cannot go at full speed.
 */
function authenticate(addresses: ClearedAddresses) {
  return async (c: Context<Env>, next: () => Promise<void>) => {
    const address = c.get("address");
    const blocked = await addresses.check(address);
    if (!blocked.ok)
      throw tooMany(
        c,
        blocked.retryAfterMs,
        "too many failed push authentications from this address",
      );
    const auth = checkPushAuth((name) => c.req.header(name), c.get("tenant").push);
    if (!auth.ok) {
      await addresses.failed(address);
      throw new HttpError(401, "unauthorized", auth.message);
    }
    await next();
  };
}

/** One line per refused push (never its credentials), rate limited per `key` and status. */
function logRefused(
  deps: PushDeps,
  error: HttpError,
  key: string,
  from: { tenant: string; address: string },
): void {
  const { status, code } = error;
  const line = { ...from, status, code, reason: error.message.slice(0, 300) };
  deps.notices.warn(`${key}:${status}`, line, "push refused");
}

function tooMany(c: Context<Env>, retryAfterMs: number, message: string): HttpError {
  c.header("Retry-After", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  return new HttpError(429, "rate_limited", message);
}

function limitRate(buckets: Map<string, TokenBuckets>) {
  return async (c: Context<Env>, next: () => Promise<void>) => {
    if (buckets.get(c.get("tenantId"))?.take("push") === false)
      throw tooMany(c, 1000, `push rate limit exceeded for tenant ${c.get("tenantId")}`);
    await next();
  };
}

async function receive(c: Context<Env>, deps: PushDeps) {
  const tenantId = c.get("tenantId");
  const text = await readBody(c.env.incoming, deps.maxBodyBytes);
  const parsed = parseOdooPush(parseJsonBody(text, deps.maxJsonDepth));
  if (!parsed.ok) throw new HttpError(400, "invalid_body", parsed.message, parsed.issues);
  const content = contentOf(tenantId, parsed.push);
  if (content.kind === "test") return c.json<PushReply>({ ok: true, test: content.test });
  let result;
  try {
    result = await deps.ingestor.ingest(content.draft, "push");
  } catch (error) {
    if (error instanceof TooManyUsers) throw new HttpError(400, "invalid_body", error.message);
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
