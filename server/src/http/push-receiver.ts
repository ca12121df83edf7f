import type { IncomingMessage, ServerResponse } from "node:http";
import { parseOdooPush, type HttpErrorResponse, type PushReply } from "@odoo-live/protocol";
import type { Tenant } from "../config/tenants.js";
import { duplicateReason, type Ingestor } from "../ingest/ingest.js";
import { checkPushAuth } from "../ingest/push-auth.js";
import { contentOf } from "../ingest/push.js";
import { ClearedAddresses } from "../ops/cleared-addresses.js";
import { Overloaded } from "../ops/group-commit.js";
import { requestAddress } from "../ops/client-address.js";
import type { Limiter } from "../ops/limiter.js";
import type { Logger } from "../ops/logger.js";
import type { Metrics } from "../ops/metrics.js";
import type { ThrottledLog } from "../ops/throttled-log.js";
import { TokenBuckets } from "../ops/token-bucket.js";
import { TooManyUsers } from "../routing/routes.js";
import { HttpError, rateLimited } from "./http-error.js";
import { parseJsonBody } from "./json-body.js";
import { ClientGone, readBody } from "./read-body.js";

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

const PATH = "/webhooks/odoo";

/**
 * The tenant a request pushes to: `POST /webhooks/odoo` is the default tenant's and
 * `POST /webhooks/odoo/<tenant>` a named one's (a trailing slash and a query are ignored, as
 * Odoo posts to endpoint_url exactly as typed). Undefined for any other request.
 */
export function pushTenantOf(req: IncomingMessage): string | undefined {
  if (req.method !== "POST" || req.url?.startsWith(PATH) !== true) return undefined;
  const query = req.url.indexOf("?");
  const path = (query < 0 ? req.url : req.url.slice(0, query)).replace(/\/$/, "");
  if (path === PATH) return "default";
  const name = path.slice(PATH.length + 1);
  if (path[PATH.length] !== "/" || name === "" || name.includes("/")) return undefined;
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * Odoo's push receiver on Node's own request and response, beside hono: the route every change
 * takes, kept to the work it must do (hono's request and response handling cost about a tenth
 * of a push's CPU; BENCHMARKS.md, Profile). GET and HEAD of the same paths, Odoo's "Test
 * connection", stay with hono (push-route.ts). Every answer is JSON; a refusal is logged.
 */
export function pushReceiver(deps: PushDeps) {
  const buckets = new Map(
    [...deps.tenants].map(([id, t]) => [
      id,
      new TokenBuckets({ perSecond: t.push.ratePerSecond, burst: t.push.burst }),
    ]),
  );
  const addresses = new ClearedAddresses(deps.authFailures);
  return async (req: IncomingMessage, res: ServerResponse, tenantId: string): Promise<void> => {
    const address = requestAddress(req, deps.trustProxy);
    const tenant = deps.tenants.get(tenantId);
    if (tenant === undefined) {
      const error = unknownTenant(deps, tenantId, address);
      return answer(res, error.status, error.body(), error.headers);
    }
    const push: Push = { req, tenantId, tenant, address, addresses, buckets };
    let reply: PushReply | HttpErrorResponse;
    let status: number;
    let headers: Record<string, string> = {};
    try {
      reply = await receive(push, deps);
      status = 200;
    } catch (caught) {
      if (caught instanceof ClientGone) return clientGone(deps, tenantId, address);
      const error = caught instanceof HttpError ? caught : unexpected(caught, deps);
      if (caught instanceof HttpError)
        logRefused(deps, error, tenantId, { tenant: tenantId, address });
      [reply, status, headers] = [error.body(), error.status, error.headers];
    }
    deps.metrics.pushes.inc({ tenant: tenantId, status: String(status) });
    answer(res, status, reply, headers);
  };
}

interface Push {
  req: IncomingMessage;
  tenantId: string;
  tenant: Tenant;
  address: string;
  addresses: ClearedAddresses;
  buckets: ReadonlyMap<string, TokenBuckets>;
}

/** Credentials, the tenant's rate, then the body: the checks in the order they cost. */
async function receive(push: Push, deps: PushDeps): Promise<PushReply> {
  await authenticate(push);
  if (push.buckets.get(push.tenantId)?.take("push") === false)
    throw rateLimited(1000, `push rate limit exceeded for tenant ${push.tenantId}`);
  const text = await readBody(push.req, deps.maxBodyBytes);
  const parsed = parseOdooPush(parseJsonBody(text, deps.maxJsonDepth));
  if (!parsed.ok) throw new HttpError(400, "invalid_body", parsed.message, parsed.issues);
  const content = contentOf(push.tenantId, parsed.push);
  if (content.kind === "test") return { ok: true, test: content.test };
  let result;
  try {
    result = await deps.ingestor.ingest(content.draft, "push");
  } catch (error) {
    if (error instanceof TooManyUsers) throw new HttpError(400, "invalid_body", error.message);
    // Overloaded is the log falling behind, not failing: its 503s are counted and logged as
    // refusals. A failing store (Redis away) fails every push alike: rate limited per tenant.
    if (!(error instanceof Overloaded))
      deps.notices.error(
        push.tenantId,
        { err: error, tenant: push.tenantId },
        "event log append failed",
      );
    throw new HttpError(503, "unavailable", "the event log cannot be written; retry later");
  }
  if (result.status === "duplicate") {
    const { id } = content.draft;
    return { ok: true, id, duplicate: true, ...duplicateReason(result.key) };
  }
  const { id, seq } = result.event;
  return { ok: true, id, seq, duplicate: false };
}

/**
 * Checks the push credentials. An address that failed too often is refused (429) before any
 * check until its window ends, so guessing the token cannot go at full speed.
 */
async function authenticate({ req, address, addresses, tenant }: Push): Promise<void> {
  const blocked = await addresses.check(address);
  if (!blocked.ok)
    throw rateLimited(
      blocked.retryAfterMs,
      "too many failed push authentications from this address",
    );
  const auth = checkPushAuth((name) => headerOf(req, name), tenant.push);
  if (!auth.ok) {
    await addresses.failed(address);
    throw new HttpError(401, "unauthorized", auth.message);
  }
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

/**
 * A pusher that hung up mid-body: nothing to answer, counted under nginx's 499 ("client closed
 * request") so that it is seen without raising the 5xx alert, and logged at debug only.
 */
function clientGone(deps: PushDeps, tenantId: string, address: string): void {
  deps.metrics.pushes.inc({ tenant: tenantId, status: "499" });
  deps.logger.debug({ tenant: tenantId, address }, "push abandoned by its client mid-body");
}

/** What no check expected: 500, logged as hono's onError would. */
function unexpected(error: unknown, deps: PushDeps): HttpError {
  deps.logger.error({ err: error }, "unhandled HTTP error");
  return new HttpError(500, "internal", "internal error");
}

function answer(
  res: ServerResponse,
  status: number,
  body: PushReply | HttpErrorResponse,
  headers: Record<string, string>,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** 404 for a tenant this hub does not serve, logged under one key for all such tenants. */
export function unknownTenant(
  deps: Pick<PushDeps, "notices">,
  tenantId: string,
  address: string,
): HttpError {
  const error = new HttpError(404, "unknown_tenant", `unknown tenant: ${tenantId}`);
  // The key is shared: the tenant in the URL is the client's choice.
  logRefused(deps, error, "?", { tenant: tenantId.slice(0, 100), address });
  return error;
}

/** One line per refused push (never its credentials), rate limited per `key` and status. */
function logRefused(
  deps: Pick<PushDeps, "notices">,
  error: HttpError,
  key: string,
  from: { tenant: string; address: string },
): void {
  const { status, code } = error;
  const line = { ...from, status, code, reason: error.message.slice(0, 300) };
  deps.notices.warn(`${key}:${status}`, line, "push refused");
}
