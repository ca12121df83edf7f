import { Redis } from "ioredis";
import type { Config } from "./config/config.js";
import type { EventLog } from "./log/event-log.js";
import { MemoryEventLog } from "./log/event-log-memory.js";
import { RedisEventLog } from "./log/event-log-redis.js";
import type { Logger } from "./ops/logger.js";
import type { DeviceStore } from "./state/device-store.js";
import { MemoryDeviceStore } from "./state/device-store-memory.js";
import { RedisDeviceStore } from "./state/device-store-redis.js";
import type { Lease } from "./state/lease.js";
import { MemoryLease } from "./state/lease-memory.js";
import { RedisLease } from "./state/lease-redis.js";
import type { PullCursorStore } from "./state/pull-cursor-store.js";
import { MemoryPullCursorStore } from "./state/pull-cursor-store-memory.js";
import { RedisPullCursorStore } from "./state/pull-cursor-store-redis.js";

export interface Stores {
  log: EventLog;
  devices: DeviceStore;
  pullCursors: PullCursorStore;
  /** Which node pulls each tenant from Odoo. */
  lease: Lease;
  /** Whether the stores can be used right now (Redis answers). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

/** The embedded in-memory stores, or, with REDIS_URL, the shared ones every hub node uses. */
export async function openStores(config: Config, logger: Logger): Promise<Stores> {
  const onListenerError = (error: unknown) => logger.error({ err: error }, "live delivery failed");
  const settings = { retention: config.retention, dedupeMs: config.dedupeMs, onListenerError };
  if (config.redis === undefined) {
    const log = new MemoryEventLog(settings);
    return {
      log,
      devices: new MemoryDeviceStore(),
      pullCursors: new MemoryPullCursorStore(),
      lease: new MemoryLease(),
      healthy: () => Promise.resolve(true),
      close: () => log.close(),
    };
  }
  return openRedisStores(config.redis, settings, logger);
}

async function openRedisStores(
  redis: NonNullable<Config["redis"]>,
  settings: ConstructorParameters<typeof MemoryEventLog>[0],
  logger: Logger,
): Promise<Stores> {
  // Fail a command after one reconnection attempt, so that a push gets its 503 quickly while
  // Redis is away (Odoo keeps the event) instead of waiting in an offline queue.
  const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on("error", (error) => logger.warn({ err: error }, "redis connection error"));
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new Error(`REDIS_URL: cannot connect to Redis (${(error as Error).message})`, {
      cause: error,
    });
  }
  const prefix = redis.prefix;
  const logClient = client.duplicate();
  logClient.on("error", (error) => logger.warn({ err: error }, "redis connection error (log)"));
  const log = new RedisEventLog(logClient, { ...settings, prefix });
  return {
    log,
    devices: RedisDeviceStore.create(client, { prefix }),
    pullCursors: RedisPullCursorStore.create(client, { prefix }),
    lease: RedisLease.create(client, { prefix }),
    healthy: () => ping(client),
    async close() {
      await log.close();
      // quit() would wait for a Redis that is away; a hub that stops must not.
      if (client.status === "ready") await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}

async function ping(client: Redis): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref());
  return Promise.race([
    client.ping().then(
      (pong) => pong === "PONG",
      () => false,
    ),
    timeout,
  ]);
}
