import { Cluster, Redis } from "ioredis";
import type { Config } from "./config/config.js";
import type { EventLog } from "./log/event-log.js";
import { MemoryEventLog } from "./log/event-log-memory.js";
import { RedisEventLog } from "./log/event-log-redis.js";
import { Limiter, type LimitRate } from "./ops/limiter.js";
import type { Logger } from "./ops/logger.js";
import type { RedisClient } from "./ops/redis-scripts.js";
import { RedisWatch } from "./ops/redis-watch.js";
import type { ThrottledLog } from "./ops/throttled-log.js";
import type { DeviceStore } from "./state/device-store.js";
import { MemoryDeviceStore } from "./state/device-store-memory.js";
import { RedisDeviceStore } from "./state/device-store-redis.js";
import type { PullStore } from "./state/pull-store.js";
import { MemoryPullStore } from "./state/pull-store-memory.js";
import { RedisPullStore } from "./state/pull-store-redis.js";
import type { RefreshStore, RefreshStoreOptions } from "./state/refresh-store.js";
import { MemoryRefreshStore } from "./state/refresh-store-memory.js";
import { RedisRefreshStore } from "./state/refresh-store-redis.js";

export interface Stores {
  log: EventLog;
  devices: DeviceStore;
  /** Which node pulls each tenant from Odoo, and how far the log holds its ledger. */
  pull: PullStore;
  /** Each device's refresh chain (sign-in with Odoo). */
  refresh: RefreshStore;
  /** The shared Redis connection, for what else runs across nodes (the Socket.IO adapter). */
  redis?: { client: RedisClient; prefix: string };
  /** The state of each Redis connection the stores hold (none for the embedded hub). */
  watches: RedisWatch[];
  /** A limit per key (an address) shared by every node that shares these stores. */
  limiter(name: string, rate: LimitRate): Limiter;
  /** Whether the stores can be used right now (Redis answers). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The embedded in-memory stores, or, with REDIS_URL (or REDIS_CLUSTER_NODES), the shared ones
 * every hub node uses.
 */
export async function openStores(
  config: Config,
  logger: Logger,
  notices: ThrottledLog,
): Promise<Stores> {
  const onListenerError = (error: unknown) => {
    // A connection's own errors (ECONNREFUSED…) are logged once per outage by its RedisWatch.
    if (typeof (error as { code?: unknown }).code === "string") return;
    // A listener that throws would throw for every event: a line a second, the rest counted.
    notices.error("listener", { err: error }, "live delivery failed");
  };
  const refreshOptions = { ttlMs: (tenant: string) => refreshTtlMs(config, tenant) };
  const settings = {
    retention: config.retention,
    dedupeMs: config.dedupeMs,
    dedupeMaxKeys: config.dedupeMaxKeys,
    onListenerError,
  };
  if (config.redis === undefined) {
    const log = new MemoryEventLog(settings);
    return {
      log,
      devices: new MemoryDeviceStore(),
      pull: new MemoryPullStore(),
      watches: [],
      refresh: new MemoryRefreshStore(refreshOptions),
      limiter: (name, rate) => new Limiter(name, rate),
      healthy: () => Promise.resolve(true),
      close: () => log.close(),
    };
  }
  return openRedisStores(config.redis, settings, refreshOptions, logger);
}

/** A tenant's refresh TTL; tenants without sign-in never start a chain. */
function refreshTtlMs(config: Config, tenant: string): number {
  const ttlS = config.tenants.get(tenant)?.odoo?.signin?.refreshTtlS;
  if (ttlS === undefined) throw new Error(`tenant ${tenant} has no sign-in`);
  return ttlS * 1000;
}

async function openRedisStores(
  redis: NonNullable<Config["redis"]>,
  settings: ConstructorParameters<typeof MemoryEventLog>[0],
  refreshOptions: RefreshStoreOptions,
  logger: Logger,
): Promise<Stores> {
  // Fail a command after one reconnection attempt, so that a push gets its 503 quickly while
  // Redis is away (Odoo keeps the event) instead of waiting in an offline queue. In a Cluster
  // this holds for a master that is away (its tenants' commands fail after the redirections,
  // about 1 s); while no node at all answers, ioredis keeps commands in the Cluster's own
  // offline queue until one does.
  const client: RedisClient =
    "url" in redis
      ? new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 })
      : new Cluster(redis.clusterNodes, {
          lazyConnect: true,
          redisOptions: { maxRetriesPerRequest: 1 },
        });
  // Until it is watched (once connected), start-up's own error says what went wrong.
  client.on("error", () => undefined);
  try {
    // Resolves once ready: for a Cluster, once it has the slot map.
    await client.connect();
  } catch (error) {
    client.disconnect();
    const what =
      "url" in redis
        ? "REDIS_URL: cannot connect to Redis"
        : "REDIS_CLUSTER_NODES: cannot connect to the Redis Cluster";
    throw new Error(`${what} (${(error as Error).message})`, { cause: error });
  }
  const prefix = redis.prefix;
  const logClient = client.duplicate();
  // Connected now rather than at the first append, so that its state means something from the start.
  await logClient.connect();
  const watches = [
    new RedisWatch(client, "main", logger),
    new RedisWatch(logClient, "log", logger),
  ];
  const log = new RedisEventLog(logClient, { ...settings, prefix });
  const devices = RedisDeviceStore.create(client, { prefix, ackLingerMs: redis.ackLingerMs });
  return {
    log,
    devices,
    pull: new RedisPullStore(client, { prefix }),
    refresh: new RedisRefreshStore(client, { ...refreshOptions, prefix }),
    redis: { client, prefix },
    watches,
    limiter: (name, rate) => new Limiter(name, rate, { client, prefix }),
    healthy: () => ping(client),
    async close() {
      await log.close();
      // Acks lingering for company are sent before the connection goes.
      await devices.close();
      // quit() would wait for a Redis that is away; a hub that stops must not.
      if (client.status === "ready") await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}

async function ping(client: RedisClient): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref());
  return Promise.race([
    client.ping().then(
      (pong) => pong === "PONG",
      () => false,
    ),
    timeout,
  ]);
}
