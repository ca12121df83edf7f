import { Cluster } from "ioredis";
import { createShardedAdapter } from "@socket.io/redis-adapter";
import type { Logger } from "../ops/logger.js";
import type { RedisClient } from "../ops/redis-scripts.js";
import { RedisWatch } from "../ops/redis-watch.js";
import { channelsForDeviceRoomsOnly } from "./adapter-rooms.js";

export interface SocketAdapter {
  /** For Socket.IO's `adapter` option. */
  factory: ReturnType<typeof createShardedAdapter>;
  /** Its subscriber connection's state. */
  watch: RedisWatch;
  close(): void;
}

/**
 * Socket.IO across nodes: the sharded Redis adapter (Redis 7 SPUBLISH/SSUBSCRIBE) in dynamic
 * mode, so that a message to a device's room reaches only the nodes hosting that room (and no
 * other room costs a subscription: adapter-rooms.ts). Events do not
 * travel this way (see dispatcher.ts); the adapter carries room messages between nodes.
 */
export function createRedisAdapter(
  client: RedisClient,
  prefix: string,
  logger: Logger,
): SocketAdapter {
  const subscriber = openSubscriber(client);
  let closed = false;
  const watch = new RedisWatch(subscriber, "adapter", logger);
  const failed = (error: unknown) => {
    if (!closed) logger.warn({ err: error }, "socket.io adapter subscription failed");
  };
  const factory = channelsForDeviceRoomsOnly(
    createShardedAdapter(client, guarded(subscriber, failed), {
      channelPrefix: `${prefix}socket.io`,
      subscriptionMode: "dynamic",
    }),
  );
  return {
    factory,
    watch,
    close() {
      closed = true;
      subscriber.disconnect();
    },
  };
}

/**
 * A connection of its own (a subscribed one can send nothing else). Its commands wait while Redis
 * is away instead of failing, so that a room created meanwhile is still subscribed once Redis is
 * back. In a Cluster, sharded subscriptions go to the master that owns each channel's slot.
 */
function openSubscriber(client: RedisClient): RedisClient {
  const options = { lazyConnect: false, maxRetriesPerRequest: null };
  return client instanceof Cluster
    ? client.duplicate(undefined, {
        shardedSubscribers: true,
        lazyConnect: false,
        redisOptions: options,
      })
    : client.duplicate(options);
}

/**
 * What the adapter uses of its subscriber. The adapter never awaits a subscription (nor handles
 * its failure), so failures are reported here instead of becoming unhandled rejections that would
 * end the process. Unsubscribing is not waited for either: on close the connection goes anyway,
 * and a close must not wait for a Redis that is away.
 */
function guarded(subscriber: RedisClient, failed: (error: unknown) => void) {
  return {
    on(event: "smessageBuffer", listener: (channel: Buffer, message: Buffer) => void) {
      subscriber.on(event, listener);
      return this;
    },
    ssubscribe: (...channels: string[]) => subscriber.ssubscribe(...channels).catch(failed),
    sunsubscribe(...channels: string[]) {
      subscriber.sunsubscribe(...channels).catch(failed);
      return Promise.resolve();
    },
  };
}
