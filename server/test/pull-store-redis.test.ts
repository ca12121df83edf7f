import { describe, expect, test } from "vitest";
import { redisSkipReason, startRedis, uniquePrefix, useRedis } from "../../test/helpers/redis.js";
import { tenantKeys } from "../src/ops/redis-keys.js";
import { RedisPullStore } from "../src/state/pull-store-redis.js";
import { pullStoreContract } from "./contracts/pull-store.contract.js";

describe("tenantKeys", () => {
  test("put the URI-encoded tenant in the hash tag", () => {
    expect(tenantKeys("p:", "acme").pullCursor).toBe("p:{acme}:pull-cursor");
    expect(tenantKeys("p:", "a}b:c").pullLease).toBe("p:{a%7Db%3Ac}:pull-lease");
  });
});

describe.skipIf(redisSkipReason() !== undefined)("RedisPullStore", () => {
  const { connect } = useRedis();

  pullStoreContract(
    "RedisPullStore",
    async () => new RedisPullStore(connect(), { prefix: uniquePrefix() }),
  );

  test("two connections (two hub nodes) never hold one tenant at once", async () => {
    const prefix = uniquePrefix();
    const [a, b] = [connect(), connect()].map((c) => new RedisPullStore(c, { prefix }));
    const results = await Promise.all([
      a!.acquire("acme", "a", 60_000),
      b!.acquire("acme", "b", 60_000),
    ]);
    expect(results.filter((t) => t !== null)).toHaveLength(1);
  });

  test("the watermark survives a crash-restart of redis-server that keeps its data", async () => {
    const crashing = await startRedis();
    const prefix = uniquePrefix();
    const before = new RedisPullStore(connect(crashing.url), { prefix });
    const token = (await before.acquire("acme", "a", 60_000))!;
    await before.start("acme", 41, token);
    await crashing.restart({ keepData: true });
    const after = new RedisPullStore(connect(crashing.url), { prefix });
    expect(await after.cursor("acme")).toBe(41);
    expect(await after.advance("acme", 42, token)).toBe(true);
    expect(await after.cursor("acme")).toBe(42);
  });

  test("after a flush, tokens stay above every earlier one, so a deposed holder stays fenced", async () => {
    const client = connect();
    const prefix = uniquePrefix();
    const store = new RedisPullStore(client, { prefix });
    const old = (await store.acquire("acme", "a", 60_000))!;
    await store.start("acme", 100, old);
    await client.flushall();
    // Nobody holds a token since the flush: the old holder's writes are refused.
    expect(await store.advance("acme", 200, old)).toBe(false);
    expect(await store.start("acme", 200, old)).toBeNull();
    const next = (await store.acquire("acme", "b", 60_000))!;
    expect(next).toBeGreaterThan(old);
    expect(await store.advance("acme", 300, old)).toBe(false);
    expect(await store.cursor("acme")).toBeNull();
  });

  test("an unreadable watermark and Redis errors reject the call", async () => {
    const client = connect();
    const prefix = uniquePrefix();
    const store = new RedisPullStore(client, { prefix });
    const keys = tenantKeys(prefix, "acme");
    await client.set(keys.pullCursor, "twelve");
    await expect(store.cursor("acme")).rejects.toThrow(/not a ledger id/);
    await client.set(keys.pullLease, "not a hash");
    await expect(store.acquire("acme", "a", 1000)).rejects.toThrow(/WRONGTYPE/);
  });
});
