import { describe, expect, test } from "vitest";
import { redisSkipReason, uniquePrefix, useRedis } from "../../test/helpers/redis.js";
import { leaseKeys, RedisLease } from "../src/state/lease-redis.js";
import { leaseContract } from "./contracts/lease.contract.js";

describe("leaseKeys", () => {
  test("puts the URI-encoded tenant in the hash tag", () => {
    expect(leaseKeys("p:", "acme")).toEqual({
      lease: "p:{acme}:pull-lease",
      counter: "p:{acme}:pull-lease-token",
    });
    expect(leaseKeys("p:", "a}b").lease).toBe("p:{a%7Db}:pull-lease");
  });
});

describe.skipIf(redisSkipReason() !== undefined)("RedisLease", () => {
  const { connect } = useRedis();

  leaseContract("RedisLease", async () => RedisLease.create(connect(), { prefix: uniquePrefix() }));

  test("two connections (two hub nodes) never hold one tenant at once", async () => {
    const prefix = uniquePrefix();
    const [a, b] = [connect(), connect()].map((c) => RedisLease.create(c, { prefix }));
    const results = await Promise.all([
      a!.acquire("acme", "a", 60_000),
      b!.acquire("acme", "b", 60_000),
    ]);
    expect(results.filter((t) => t !== null)).toHaveLength(1);
  });

  test("tokens keep increasing after the lease key is gone (the counter does not expire)", async () => {
    const client = connect();
    const prefix = uniquePrefix();
    const lease = RedisLease.create(client, { prefix });
    const first = (await lease.acquire("acme", "a", 60_000))!;
    await client.del(leaseKeys(prefix, "acme").lease);
    expect(await lease.acquire("acme", "b", 60_000)).toBeGreaterThan(first);
  });

  test("invalid TTLs and Redis errors reject the call", async () => {
    const client = connect();
    const prefix = uniquePrefix();
    const lease = RedisLease.create(client, { prefix });
    await expect(lease.acquire("acme", "a", 0)).rejects.toThrow(RangeError);
    await expect(lease.acquire("acme", "a", 1.5)).rejects.toThrow(RangeError);
    await client.set(leaseKeys(prefix, "acme").lease, "not a hash");
    await expect(lease.acquire("acme", "a", 1000)).rejects.toThrow(/WRONGTYPE/);
  });
});
