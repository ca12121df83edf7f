import { randomUUID } from "node:crypto";
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { getRequestListener } from "@hono/node-server";
import type { Config } from "./config/config.js";
import { createSignins } from "./auth/auth-deps.js";
import { SigninLimits } from "./auth/signin-limits.js";
import { createApp } from "./http/app.js";
import { pushReceiver, pushTenantOf, type PushDeps } from "./http/push-receiver.js";
import { startMetricsServer, type MetricsServer } from "./http/metrics-server.js";
import { degradedTenants } from "./http/readiness.js";
import { Ingestor } from "./ingest/ingest.js";
import type { Poller } from "./ingest/poller.js";
import { registerPullGauges } from "./ingest/pull-gauges.js";
import { createPollers } from "./ingest/pollers.js";
import { registerMirrorGauges } from "./odoo/mirror-gauges.js";
import { connectOdoo, type OdooConnection } from "./odoo/odoo-connections.js";
import { SyncStateMirror } from "./odoo/sync-state-mirror.js";
import type { Tenant } from "./config/tenants.js";
import type { EventLog } from "./log/event-log.js";
import { createLogger, type Logger } from "./ops/logger.js";
import { createMetrics, type Metrics } from "./ops/metrics.js";
import { registerProcessGauges } from "./ops/process-gauges.js";
import type { RedisWatch } from "./ops/redis-watch.js";
import type { ThrottledLog } from "./ops/throttled-log.js";
import { AdminRecorder, RecordingNotices } from "./admin/recorder.js";
import { useEnglishMessages } from "./ops/zod-messages.js";
import { disconnectLocal } from "./realtime/disconnect-reason.js";
import { createRedisAdapter } from "./realtime/adapter-redis.js";
import { Backfills } from "./realtime/backfill.js";
import { createRealtime } from "./realtime/io.js";
import { isSsePath } from "./realtime/sse.js";
import type { HubServer } from "./realtime/types.js";
import type { DeviceStore } from "./state/device-store.js";
import { openStores } from "./stores.js";

export interface Hub {
  /** `http://host:port` the hub listens on. */
  url: string;
  port: number;
  /** The port of `/metrics` when HUB_METRICS_PORT gave it one of its own. */
  metricsPort: number | undefined;
  io: HubServer;
  log: EventLog;
  devices: DeviceStore;
  ingestor: Ingestor;
  /** Running pollers by tenant (each pulls only while this node holds the tenant's lease). */
  pollers: ReadonlyMap<string, Poller>;
  /** Graceful: stop accepting, finish in-flight requests, disconnect sockets, close stores. */
  close(): Promise<void>;
}

export interface HubOptions {
  logger?: Logger;
  /** Stores to use instead of the embedded in-memory ones. */
  log?: EventLog;
  devices?: DeviceStore;
}

/** Builds one hub node (in-memory stores, or shared ones on Redis with REDIS_URL) and listens. */
export async function startHub(config: Config, options: HubOptions = {}): Promise<Hub> {
  useEnglishMessages();
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const recorder = new AdminRecorder();
  const notices = throttledLog(logger, metrics, recorder);
  const stores = await openStores(config, logger, notices);
  const log = options.log ?? stores.log;
  const devices = options.devices ?? stores.devices;
  const limits = { maxRoutedUsers: config.maxRoutedUsers };
  const ingestor = new Ingestor(log, config.tenants, metrics, limits, logger);
  const odoo = new Map(
    [...config.tenants].flatMap(([id, t]) =>
      t.odoo === undefined ? [] : [[id, connectOdoo(t.odoo)] as const],
    ),
  );
  const mirrors = createMirrors(config.tenants, odoo, logger);
  const pollers = createPollers({
    tenants: config.tenants,
    odoo,
    ingestor,
    log,
    store: stores.pull,
    logger,
    metrics,
    leaseTtlMs: config.pullLeaseTtlMs,
    // Unique per hub, also for several hubs in one process (as the tests run them).
    holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
  });
  let accepting = false;
  const ready = async () => accepting && (await stores.healthy());
  const pushDeps: PushDeps = {
    tenants: config.tenants,
    ingestor,
    metrics,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    authFailures: stores.limiter("push-auth", {
      points: config.pushAuthFailuresPerMinute,
      windowS: 60,
    }),
    trustProxy: config.trustProxy,
    maxJsonDepth: config.maxJsonDepth,
    notices,
  };
  const app = createApp({
    ...pushDeps,
    ready,
    degraded: () => degradedTenants(pollers),
    serveMetrics: config.metricsPort === undefined,
    auth: {
      signins: createSignins(config.tenants),
      refresh: stores.refresh,
      jwt: config.jwt,
      limits: new SigninLimits({
        address: stores.limiter("signin-address", config.signinLimits.perAddress),
        login: stores.limiter("signin-login", config.signinLimits.perLogin),
        odoo: stores.limiter("signin-odoo", config.signinLimits.perTenant),
      }),
    },
    admin:
      config.adminToken === undefined
        ? undefined
        : {
            token: config.adminToken,
            loginFailures: stores.limiter("admin-login", { points: 10, windowS: 60 }),
            trustProxy: config.trustProxy,
            notices,
            tenants: [...config.tenants.keys()],
            metrics,
            pollers,
            mirrors,
            recorder,
            // Asked for per request, once Socket.IO (which needs the HTTP server) exists.
            io: () => io,
          },
  });
  const listener = getRequestListener(app.fetch);
  // Pushes (the route every change takes) and the Server-Sent Events transport are answered
  // beside hono, on Node's own request and response; each answers its own errors (the push
  // receiver's JSON, hono's onError, the SSE handler's refusals): nothing to await.
  const streams: { sse?: (req: IncomingMessage, res: ServerResponse) => Promise<void> } = {};
  const receivePush = pushReceiver(pushDeps);
  const server = createServer((req, res) => {
    const sse = streams.sse;
    const pushTenant = pushTenantOf(req);
    if (pushTenant !== undefined) void receivePush(req, res, pushTenant);
    else if (sse !== undefined && isSsePath(req.url)) void sse(req, res);
    else void listener(req, res);
  });
  const adapter =
    stores.redis && createRedisAdapter(stores.redis.client, stores.redis.prefix, logger);
  const { perSecond, burst } = config.connectRate;
  const realtime = createRealtime(server, {
    adapter: adapter?.factory,
    connects: stores.limiter("connect", { points: burst, windowS: Math.ceil(burst / perSecond) }),
    backfills: new Backfills({ log, ingestor, odoo }),
    coverageWaitMs: config.coverageWaitMs,
    config,
    log,
    devices,
    metrics,
    logger,
    notices,
    mirrors,
    odoo,
  });
  const { io, dispatcher } = realtime;
  streams.sse = realtime.sse;
  observe(metrics, {
    pollers,
    mirrors,
    redis: [...stores.watches, ...(adapter ? [adapter.watch] : [])],
    ready,
  });
  await listen(server, config.port, config.host);
  const metricsServer: MetricsServer | undefined =
    config.metricsPort === undefined
      ? undefined
      : await startMetricsServer({ metrics }, config.metricsPort, config.host);
  for (const poller of pollers.values()) poller.start();
  for (const mirror of mirrors.values()) mirror.start();
  accepting = true;
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      accepting = false;
      await Promise.all([...pollers.values()].map((p) => p.stop()));
      dispatcher.stop();
      dispatcher.sse.endAll();
      await drain(server, io, config.shutdownTimeoutMs);
      adapter?.close();
      await Promise.all([...mirrors.values()].map((m) => m.stop(config.shutdownTimeoutMs)));
      await options.log?.close();
      await stores.close();
      await metricsServer?.close();
    })();
    return closing;
  };
  return {
    url: `http://${urlHost(config.host)}:${port}`,
    port,
    metricsPort: metricsServer?.port,
    io,
    log,
    devices,
    ingestor,
    pollers,
    close,
  };
}

/**
 * Lines a client could repeat (refused pushes and handshakes, resyncs): 5 at once, then 1/s per
 * key. The admin page's recorder sees every one of them.
 */
function throttledLog(logger: Logger, metrics: Metrics, recorder: AdminRecorder): ThrottledLog {
  const rate = { perSecond: 1, burst: 5 };
  const suppressed = (line: string) => metrics.suppressedLogs.inc({ line });
  return new RecordingNotices(logger, rate, suppressed, recorder);
}

/** The metrics read from the hub's state at scrape time. */
function observe(
  metrics: Metrics,
  sources: {
    pollers: ReadonlyMap<string, Poller>;
    mirrors: ReadonlyMap<string, SyncStateMirror>;
    redis: RedisWatch[];
    ready: () => Promise<boolean>;
  },
): void {
  registerPullGauges(metrics.registry, sources.pollers);
  registerMirrorGauges(metrics.registry, sources.mirrors);
  registerProcessGauges(metrics.registry, sources.redis, sources.ready);
}

/** A mirror per tenant that has the REST API and wants `user.sync.state` kept. */
function createMirrors(
  tenants: ReadonlyMap<string, Tenant>,
  odoo: ReadonlyMap<string, OdooConnection>,
  logger: Logger,
): Map<string, SyncStateMirror> {
  const mirrors = new Map<string, SyncStateMirror>();
  for (const [tenant, settings] of tenants) {
    const client = odoo.get(tenant)?.client;
    const syncState = settings.odoo?.syncState;
    if (client === undefined || syncState?.mirror !== true) continue;
    mirrors.set(tenant, new SyncStateMirror(tenant, client, syncState, logger));
  }
  return mirrors;
}

function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/**
 * Stops accepting connections, lets in-flight HTTP requests finish (up to the timeout), and
 * disconnects sockets so that clients reconnect to another node.
 */
async function drain(server: HttpServer, io: HubServer, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Only this node's sockets: through the Redis adapter, io.disconnectSockets reaches every node.
  disconnectLocal(io, "shutdown");
  // Keep-alive connections that finish their request during the drain go idle after close().
  const sweeper = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
  await closed;
  clearInterval(sweeper);
  clearTimeout(deadline);
  await io.close();
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}
