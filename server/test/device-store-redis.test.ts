import { Redis } from "ioredis";
import { describe, expect, test } from "vitest";
import { redisSkipReason, startRedis, uniquePrefix, useRedis } from "../../test/helpers/redis.js";
import type { DeviceKey } from "../src/state/device-store.js";
import { RedisDeviceStore, deviceHashKey } from "../src/state/device-store-redis.js";
import { deviceStoreContract } from "./contracts/device-store.contract.js";

const epoch = "aaaaaaaaaaaaaaaa";
describe("deviceHashKey", () => {
  const key: DeviceKey = { tenant: "acme", uid: 2, deviceId: "phone-1" };

  test("puts the tenant in the hash tag, so a tenant's devices share one cluster slot", () => {
    expect(deviceHashKey("p:", key)).toBe("p:{acme}:device:2:phone-1");
  });

  test("encodes ':' and braces, so no device id or tenant can collide with another or move the tag", () => {
    const ids = ["a:b", "a}b", "a{b}", "a%3Ab", "a", "a:b:c"];
    const keys = ids.map((deviceId) => deviceHashKey("p:", { ...key, deviceId }));
    expect(new Set(keys).size).toBe(ids.length);
    for (const k of keys) expect(k.startsWith("p:{acme}:device:2:")).toBe(true);
    expect(deviceHashKey("p:", { ...key, tenant: "a}b{c" })).toMatch(/^p:\{a%7Db%7Bc\}:device:/);
  });

  test("a prefix with braces is refused: it would take the hash tag", () => {
    expect(() =>
      RedisDeviceStore.create(new Redis({ lazyConnect: true }), { prefix: "{x}:" }),
    ).toThrow(/braces/);
  });
});

/**
 * Three connected devices of one tenant, the middle one's hash damaged by `damage`, acked at seq 3
 * together: the first runs at once, the other two arrive while it runs and share one call.
 */
async function ackAroundDamaged(
  client: Redis,
  damage: (hash: string) => Promise<unknown>,
): Promise<{ store: RedisDeviceStore; keys: DeviceKey[]; statuses: string[] }> {
  const prefix = uniquePrefix();
  const store = RedisDeviceStore.create(client, { prefix });
  const keys = ["phone-1", "phone-2", "phone-3"].map((deviceId): DeviceKey => ({
    tenant: "acme",
    uid: 7,
    deviceId,
  }));
  for (const key of keys) await store.connect(key, { appType: "sales_app" });
  await damage(deviceHashKey(prefix, keys[1]!));
  const settled = await Promise.allSettled(
    keys.map((key) => store.ack(key, { position: { epoch, seq: 3 }, events: 1, at: new Date() })),
  );
  return { store, keys, statuses: settled.map((s) => s.status) };
}

describe.skipIf(redisSkipReason() !== undefined)("RedisDeviceStore", () => {
  const { connect } = useRedis();

  deviceStoreContract("RedisDeviceStore", async () =>
    RedisDeviceStore.create(connect(), { prefix: uniquePrefix() }),
  );
  deviceStoreContract("RedisDeviceStore, acks lingering 5 ms", async () =>
    RedisDeviceStore.create(connect(), { prefix: uniquePrefix(), ackLingerMs: 5 }),
  );

  test("with ackLingerMs, acks that come within it share one script call, whatever their tenant", async () => {
    const client = connect();
    const store = RedisDeviceStore.create(client, { prefix: uniquePrefix(), ackLingerMs: 1000 });
    const keys = ["acme", "acme", "globex"].map((tenant, i): DeviceKey => ({
      tenant,
      uid: 7,
      deviceId: `phone-${i}`,
    }));
    for (const key of keys) await store.connect(key, { appType: "sales_app" });
    // EVALSHA, or EVAL where the script was not loaded yet (ioredis falls back after NOSCRIPT).
    const scriptCalls = async () => {
      const stats = await client.info("commandstats");
      const calls = [...stats.matchAll(/cmdstat_eval(?:sha)?:calls=(\d+)/g)];
      return calls.reduce((sum, [, n]) => sum + Number(n), 0);
    };
    const before = await scriptCalls();
    const acks = [];
    for (const [i, key] of keys.entries()) {
      acks.push(store.ack(key, { position: { epoch, seq: 3 + i }, events: 1, at: new Date() }));
      // Each ack on a later turn of the event loop: without the linger, each would run alone.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(acks);
    expect((await scriptCalls()) - before).toBe(1);
    expect((await store.get(keys[2]!))?.acked).toEqual({ epoch, seq: 5 });
  });

  test("acks sent together in one script call fail one by one: a corrupt device fails its own", async () => {
    const client = connect();
    // A stored position ahead of the ack (which does not move it) with an unreadable ledger.
    const { store, keys, statuses } = await ackAroundDamaged(client, (hash) =>
      client.hset(hash, "ackedEpoch", epoch, "ackedSeq", "9", "ackedLedger", "x"),
    );
    expect(statuses).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((await store.get(keys[2]!))?.acked).toEqual({ epoch, seq: 3 });
  });

  test("close() sends the acks still lingering and waits for their answers", async () => {
    const client = connect();
    const store = RedisDeviceStore.create(client, { prefix: uniquePrefix(), ackLingerMs: 600_000 });
    const key: DeviceKey = { tenant: "acme", uid: 7, deviceId: "phone-1" };
    await store.connect(key, { appType: "sales_app" });
    let answered = false;
    const ack = store
      .ack(key, { position: { epoch, seq: 4 }, events: 1, at: new Date() })
      .then((result) => {
        answered = true;
        return result;
      });
    await store.close();
    expect(answered).toBe(true);
    expect((await ack).acked).toEqual({ epoch, seq: 4 });
    expect((await store.get(key))?.acked).toEqual({ epoch, seq: 4 });
  });

  test("an unreadable acked seq is rewritten by the next ack, failing no other ack of its call", async () => {
    const client = connect();
    const { store, keys, statuses } = await ackAroundDamaged(client, (hash) =>
      client.hset(hash, "ackedEpoch", epoch, "ackedSeq", "x"),
    );
    expect(statuses).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    expect((await store.get(keys[1]!))?.acked).toEqual({ epoch, seq: 3 });
    expect((await store.get(keys[2]!))?.acked).toEqual({ epoch, seq: 3 });
  });

  test("keeps one hash per device with the documented fields", async () => {
    const client = connect();
    const prefix = uniquePrefix();
    const store = RedisDeviceStore.create(client, { prefix });
    const key: DeviceKey = { tenant: "acme", uid: 7, deviceId: "tab:1}" };
    await store.connect(key, { appType: "sales_app", models: ["sale.order"] });
    await store.ack(key, {
      position: { epoch, seq: 9 },
      events: 4,
      at: new Date("2025-11-29T10:00:00Z"),
    });
    expect(await client.keys(`${prefix}*`)).toEqual([deviceHashKey(prefix, key)]);
    expect(await client.hgetall(deviceHashKey(prefix, key))).toEqual({
      appType: "sales_app",
      models: '["sale.order"]',
      ackedEpoch: epoch,
      ackedSeq: "9",
      lastSyncTime: "2025-11-29T10:00:00.000Z",
      syncCount: "1",
      lastEventCount: "4",
      totalEventsSynced: "4",
    });
  });

  test("state survives a crash-restart of redis-server that keeps its data", async () => {
    const crashing = await startRedis();
    const prefix = uniquePrefix();
    const before = connect(crashing.url);
    const key: DeviceKey = { tenant: "acme", uid: 2, deviceId: "phone-1" };
    const store = RedisDeviceStore.create(before, { prefix });
    await store.connect(key, { appType: "delivery_app", models: ["sale.order"] });
    await store.addModels(key, ["stock.picking"]);
    await store.ack(key, {
      position: { epoch, seq: 12 },
      events: 12,
      at: new Date("2025-11-29T10:00:00Z"),
    });
    const state = await store.get(key);

    await crashing.restart({ keepData: true });
    const after = connect(crashing.url);
    const restarted = RedisDeviceStore.create(after, { prefix });
    expect(await restarted.get(key)).toEqual(state);
    // The scripts are gone from the restarted server's cache; defineCommand loads them again.
    const next = await restarted.ack(key, {
      position: { epoch, seq: 13 },
      events: 1,
      at: new Date("2025-11-29T10:01:00Z"),
    });
    expect(next).toEqual({ moved: true, acked: { epoch, seq: 13 }, syncCount: 2 });
  });

  test("concurrent acks from two connections never move the cursor backwards", async () => {
    const prefix = uniquePrefix();
    const stores = [connect(), connect()].map((c) => RedisDeviceStore.create(c, { prefix }));
    const key: DeviceKey = { tenant: "acme", uid: 2, deviceId: "phone-1" };
    await stores[0]!.connect(key, { appType: "mobile_app" });
    const acks = Array.from({ length: 50 }, () => ({
      seq: Math.floor(Math.random() * 1000),
      events: 1 + Math.floor(Math.random() * 5),
    }));

    const results = await Promise.all(
      acks.map(({ seq, events }, i) =>
        stores[i % 2]!.ack(key, { position: { epoch, seq }, events, at: new Date() }),
      ),
    );

    const moving = results.flatMap((r, i) => (r.moved ? [{ ...acks[i]!, result: r }] : []));
    const final = (await stores[1]!.get(key))!;
    expect(final.acked).toEqual({ epoch, seq: Math.max(...acks.map((a) => a.seq)) });
    expect(final.syncCount).toBe(moving.length);
    expect(final.totalEventsSynced).toBe(moving.reduce((sum, a) => sum + a.events, 0));
    // Replayed in the order Redis applied them, the moving acks only ever went forward.
    moving.sort((a, b) => a.result.syncCount - b.result.syncCount);
    expect(moving.map((a) => a.result.syncCount)).toEqual(moving.map((_, i) => i + 1));
    for (const [i, a] of moving.entries()) {
      expect(a.result.acked).toEqual({ epoch, seq: a.seq });
      if (i > 0) expect(a.seq).toBeGreaterThan(moving[i - 1]!.seq);
    }
  });

  test("concurrent subscription changes from two connections lose none", async () => {
    const prefix = uniquePrefix();
    const stores = [connect(), connect()].map((c) => RedisDeviceStore.create(c, { prefix }));
    const key: DeviceKey = { tenant: "acme", uid: 2, deviceId: "phone-1" };
    const models = Array.from({ length: 40 }, (_, i) => `x_model.m${i}`);
    await Promise.all(models.map((m, i) => stores[i % 2]!.addModels(key, [m])));
    expect((await stores[0]!.get(key))!.models.sort()).toEqual([...models].sort());
    await Promise.all(models.slice(10).map((m, i) => stores[i % 2]!.removeModels(key, [m])));
    expect((await stores[1]!.get(key))!.models.sort()).toEqual(models.slice(0, 10).sort());
  });

  test("Redis errors reject the call", async () => {
    const client = connect();
    const prefix = uniquePrefix();
    const store = RedisDeviceStore.create(client, { prefix });
    const key: DeviceKey = { tenant: "acme", uid: 2, deviceId: "phone-1" };
    await client.set(deviceHashKey(prefix, key), "not a hash");
    await expect(store.get(key)).rejects.toThrow(/WRONGTYPE/);
    await expect(store.connect(key, { appType: "mobile_app" })).rejects.toThrow(/WRONGTYPE/);
    await expect(store.addModels(key, ["sale.order"])).rejects.toThrow(/WRONGTYPE/);
    const ack = { position: { epoch, seq: 1 }, events: 1, at: new Date() };
    await expect(store.ack(key, ack)).rejects.toThrow(/WRONGTYPE/);
  });

  test("an ack with a seq or count that is not a non-negative integer is refused before any write", async () => {
    const store = RedisDeviceStore.create(connect(), { prefix: uniquePrefix() });
    const key: DeviceKey = { tenant: "acme", uid: 2, deviceId: "phone-1" };
    const at = new Date();
    await expect(store.ack(key, { position: { epoch, seq: 1.5 }, events: 1, at })).rejects.toThrow(
      RangeError,
    );
    await expect(store.ack(key, { position: { epoch, seq: 1 }, events: -1, at })).rejects.toThrow(
      RangeError,
    );
    expect(await store.get(key)).toBeNull();
  });
});
