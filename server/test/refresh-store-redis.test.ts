import { describe, expect, test } from "vitest";
import { redisSkipReason, uniquePrefix, useRedis } from "../../test/helpers/redis.js";
import { tenantKeys } from "../src/ops/redis-keys.js";
import { RedisRefreshStore } from "../src/state/refresh-store-redis.js";
import { refreshStoreContract } from "./contracts/refresh-store.contract.js";

describe.skipIf(redisSkipReason() !== undefined)("RedisRefreshStore", () => {
  const { connect } = useRedis();

  refreshStoreContract(
    "RedisRefreshStore",
    async (options) => new RedisRefreshStore(connect(), { ...options, prefix: uniquePrefix() }),
  );

  test("keeps a digest and the app type under the tenant's hash tag, with the TTL", async () => {
    const client = connect();
    const prefix = uniquePrefix();
    const store = new RedisRefreshStore(client, { prefix, ttlMs: () => 60_000 });
    const device = { tenant: "acme", uid: 3, deviceId: "a:b" };
    await store.start(device, "digest", "warehouse_app");
    const key = tenantKeys(prefix, "acme").refresh(3, "a:b");
    expect(key).toBe(`${prefix}{acme}:refresh:3:a%3Ab`);
    expect(await client.hgetall(key)).toEqual({ secret: "digest", appType: "warehouse_app" });
    const ttl = await client.pttl(key);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });
});
