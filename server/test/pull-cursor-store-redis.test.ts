import { describe, expect, test } from "vitest";
import { redisSkipReason, startRedis, uniquePrefix, useRedis } from "../../test/helpers/redis.js";
import { RedisPullCursorStore, pullCursorKey } from "../src/state/pull-cursor-store-redis.js";
import { pullCursorStoreContract } from "./contracts/pull-cursor-store.contract.js";

describe("pullCursorKey", () => {
  test("puts the URI-encoded tenant in the hash tag", () => {
    expect(pullCursorKey("p:", "acme")).toBe("p:{acme}:pull-cursor");
    expect(pullCursorKey("p:", "a}b:c")).toBe("p:{a%7Db%3Ac}:pull-cursor");
  });
});

describe.skipIf(redisSkipReason() !== undefined)("RedisPullCursorStore", () => {
  const { connect } = useRedis();

  pullCursorStoreContract("RedisPullCursorStore", async () =>
    RedisPullCursorStore.create(connect(), { prefix: uniquePrefix() }),
  );

  test("the cursor survives a crash-restart of redis-server that keeps its data", async () => {
    const crashing = await startRedis();
    const prefix = uniquePrefix();
    await RedisPullCursorStore.create(connect(crashing.url), { prefix }).advance("acme", 41);
    await crashing.restart({ keepData: true });
    const restarted = RedisPullCursorStore.create(connect(crashing.url), { prefix });
    expect(await restarted.get("acme")).toBe(41);
    await restarted.advance("acme", 40);
    await restarted.advance("acme", 42);
    expect(await restarted.get("acme")).toBe(42);
  });

  test("concurrent advances from two connections keep the maximum", async () => {
    const prefix = uniquePrefix();
    const stores = [connect(), connect()].map((c) => RedisPullCursorStore.create(c, { prefix }));
    const ids = Array.from({ length: 50 }, () => Math.floor(Math.random() * 10_000));
    await Promise.all(ids.map((id, i) => stores[i % 2]!.advance("acme", id)));
    expect(await stores[0]!.get("acme")).toBe(Math.max(...ids));
  });

  test("Redis errors and invalid ledger ids reject the call", async () => {
    const client = connect();
    const prefix = uniquePrefix();
    const store = RedisPullCursorStore.create(client, { prefix });
    await client.hset(pullCursorKey(prefix, "acme"), "not", "a string");
    await expect(store.get("acme")).rejects.toThrow(/WRONGTYPE/);
    await expect(store.advance("acme", 1)).rejects.toThrow(/WRONGTYPE/);
    await expect(store.advance("other", 1.5)).rejects.toThrow(RangeError);
    await expect(store.advance("other", -1)).rejects.toThrow(RangeError);
    expect(await store.get("other")).toBeNull();
  });
});
