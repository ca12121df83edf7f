/**
 * The Redis stores on a Redis Cluster of three masters: every store contract again, with the
 * tenants of the contracts spread over the masters (each tenant's keys share one slot).
 */
import { randomUUID } from "node:crypto";
import { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { redisSkipReason } from "../../test/helpers/redis.js";
import { startRedisCluster, type TestRedisCluster } from "../../test/helpers/redis-cluster.js";
import { RedisEventLog } from "../src/log/event-log-redis.js";
import { RedisDeviceStore } from "../src/state/device-store-redis.js";
import { RedisPullStore } from "../src/state/pull-store-redis.js";
import { RedisRefreshStore } from "../src/state/refresh-store-redis.js";
import { deviceStoreContract } from "./contracts/device-store.contract.js";
import { eventLogContract } from "./contracts/event-log.contract.js";
import { pullStoreContract } from "./contracts/pull-store.contract.js";
import { refreshStoreContract } from "./contracts/refresh-store.contract.js";

/** One prefix for the whole file, so that the keys it wrote can be counted on each master. */
const prefix = `test-${randomUUID()}:`;

describe.skipIf(redisSkipReason() !== undefined)("Redis stores on a Redis Cluster", () => {
  let cluster: TestRedisCluster;
  const borrowed: Cluster[] = [];
  const connect = () => {
    const client = new Cluster(cluster.nodes);
    client.on("error", () => undefined);
    return client;
  };
  const borrow = () => {
    const client = connect();
    borrowed.push(client);
    return client;
  };

  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterAll(() => {
    for (const client of borrowed.splice(0)) client.disconnect();
  });

  // The log takes ownership of its connection (and duplicates it for Pub/Sub).
  eventLogContract("RedisEventLog on a Cluster", async (options) =>
    Promise.resolve(new RedisEventLog(connect(), { ...options, prefix })),
  );
  deviceStoreContract("RedisDeviceStore on a Cluster", async () =>
    Promise.resolve(RedisDeviceStore.create(borrow(), { prefix })),
  );
  pullStoreContract("RedisPullStore on a Cluster", async () =>
    Promise.resolve(new RedisPullStore(borrow(), { prefix })),
  );

  refreshStoreContract("RedisRefreshStore on a Cluster", async (options) =>
    Promise.resolve(new RedisRefreshStore(borrow(), { ...options, prefix })),
  );

  test("acks of two tenants lingering together go to their own slots", async () => {
    const client = borrow();
    const store = RedisDeviceStore.create(client, { prefix, ackLingerMs: 1000 });
    const tenants = ["linger-a", "linger-b"];
    const slots = await Promise.all(tenants.map((t) => client.cluster("KEYSLOT", `{${t}}`)));
    expect(slots[0]).not.toBe(slots[1]);
    const keys = tenants.map((tenant) => ({ tenant, uid: 1, deviceId: "d" }));
    for (const key of keys) await store.connect(key, { appType: "sales_app" });
    const epoch = "aaaaaaaaaaaaaaaa";
    const at = new Date();
    // One script call for both would touch two slots: CROSSSLOT.
    const acked = await Promise.all(
      keys.map((key) => store.ack(key, { position: { epoch, seq: 2 }, events: 1, at })),
    );
    expect(acked.map((result) => result.acked)).toEqual([
      { epoch, seq: 2 },
      { epoch, seq: 2 },
    ]);
  });

  test("the contracts' tenants landed on more than one master", async () => {
    const counts: number[] = [];
    for (const { host, port } of cluster.nodes) {
      const node = new Redis({ host, port });
      let cursor = "0";
      let count = 0;
      do {
        const [next, keys] = await node.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
        cursor = next;
        count += keys.length;
      } while (cursor !== "0");
      node.disconnect();
      counts.push(count);
    }
    expect(counts.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
  });
});
