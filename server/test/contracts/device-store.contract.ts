/**
 * What every DeviceStore implementation must do (the hub's copy of Odoo's `user.sync.state`),
 * written once and run against each: `deviceStoreContract("Redis", () => RedisDeviceStore...)`.
 * Each test uses a tenant of its own, so shared storage need not be flushed between tests.
 */
import type { Domain } from "@odoo-live/protocol";
import { afterEach, describe, expect, test } from "vitest";
import type { DeviceKey, DeviceStore } from "../../src/state/device-store.js";

export type DeviceStoreFactory = () => Promise<DeviceStore>;

let counter = 0;

function freshKey(overrides: Partial<DeviceKey> = {}): DeviceKey {
  return {
    tenant: `t-${process.pid}-${Date.now().toString(36)}-${++counter}`,
    uid: 2,
    deviceId: "phone-1",
    ...overrides,
  };
}

const sorted = (models: readonly string[]) => [...models].sort();

export function deviceStoreContract(name: string, factory: DeviceStoreFactory): void {
  describe(`DeviceStore contract: ${name}`, () => {
    const opened: DeviceStore[] = [];
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    async function open(): Promise<DeviceStore> {
      const store = await factory();
      opened.push(store);
      return store;
    }

    const epoch = "aaaaaaaaaaaaaaaa";
    const at = (iso: string) => new Date(iso);

    describe("connect", () => {
      test("an unknown device is null", async () => {
        const store = await open();
        expect(await store.get(freshKey())).toBeNull();
      });

      test("the first connect creates the device with empty sync state", async () => {
        const store = await open();
        const key = freshKey();
        const state = await store.connect(key, { appType: "sales_app" });
        expect(state).toEqual({
          ...key,
          appType: "sales_app",
          models: [],
          where: {},
          acked: null,
          lastSyncTime: null,
          syncCount: 0,
          lastEventCount: 0,
          totalEventsSynced: 0,
        });
        expect(await store.get(key)).toEqual(state);
      });

      test("connect with models sets them (as a set); a later connect with models replaces them", async () => {
        const store = await open();
        const key = freshKey();
        const first = await store.connect(key, {
          appType: "mobile_app",
          models: ["sale.order", "res.partner", "sale.order"],
        });
        expect(sorted(first.models)).toEqual(["res.partner", "sale.order"]);
        const second = await store.connect(key, { appType: "mobile_app", models: ["crm.lead"] });
        expect(second.models).toEqual(["crm.lead"]);
        expect((await store.get(key))?.models).toEqual(["crm.lead"]);
        const emptied = await store.connect(key, { appType: "mobile_app", models: [] });
        expect(emptied.models).toEqual([]);
      });

      test("connect without models keeps the stored ones and the sync state, and updates the app type", async () => {
        const store = await open();
        const key = freshKey();
        await store.connect(key, { appType: "mobile_app", models: ["sale.order"] });
        await store.ack(key, {
          position: { epoch, seq: 4 },
          events: 4,
          at: at("2025-11-29T10:00:00Z"),
        });
        const again = await store.connect(key, { appType: "delivery_app" });
        expect(again).toMatchObject({
          appType: "delivery_app",
          models: ["sale.order"],
          acked: { epoch, seq: 4 },
          syncCount: 1,
          totalEventsSynced: 4,
        });
        const withUndefined = await store.connect(key, {
          appType: "delivery_app",
          models: undefined,
        });
        expect(withUndefined.models).toEqual(["sale.order"]);
      });
    });

    describe("subscriptions", () => {
      test("addModels adds without repeats; removeModels removes only the named models", async () => {
        const store = await open();
        const key = freshKey();
        await store.connect(key, { appType: "mobile_app", models: ["sale.order"] });
        const added = await store.addModels(key, ["res.partner", "sale.order", "crm.lead"]);
        expect(sorted(added.models)).toEqual(["crm.lead", "res.partner", "sale.order"]);
        const removed = await store.removeModels(key, ["sale.order", "not.subscribed"]);
        expect(sorted(removed.models)).toEqual(["crm.lead", "res.partner"]);
        expect(sorted((await store.get(key))!.models)).toEqual(["crm.lead", "res.partner"]);
      });

      test("a subscription's narrowing is stored with it, replaced and removed with it", async () => {
        const store = await open();
        const key = freshKey();
        const confirmed: Domain = [["state", "=", "sale"]];
        const mine: Domain = ["|", ["user_id", "=", 7], ["team_id", "in", []]];
        const connected = await store.connect(key, {
          appType: "sales_app",
          models: ["sale.order", "res.partner"],
          where: { "sale.order": confirmed, "crm.lead": mine },
        });
        expect(connected.where).toEqual({ "sale.order": confirmed });
        const added = await store.addModels(key, ["crm.lead", "sale.order"], { "crm.lead": mine });
        expect(added.where).toEqual({ "crm.lead": mine });
        expect(await store.get(key)).toEqual(added);
        expect((await store.removeModels(key, ["crm.lead"])).where).toEqual({});
        const kept = await store.connect(key, { appType: "sales_app" });
        expect(kept.models).toEqual(["sale.order", "res.partner"]);
        const replaced = await store.connect(key, {
          appType: "sales_app",
          models: ["res.partner"],
          where: { "res.partner": confirmed },
        });
        expect(replaced.where).toEqual({ "res.partner": confirmed });
      });

      test("subscription changes leave the sync state alone", async () => {
        const store = await open();
        const key = freshKey();
        await store.connect(key, { appType: "mobile_app" });
        await store.ack(key, {
          position: { epoch, seq: 3 },
          events: 3,
          at: at("2025-11-29T10:00:00Z"),
        });
        const acked = (await store.get(key))!;
        await store.addModels(key, ["sale.order"]);
        const after = await store.removeModels(key, ["sale.order"]);
        const { models: _a, ...syncAfter } = after;
        const { models: _b, ...syncBefore } = acked;
        expect(syncAfter).toEqual(syncBefore);
      });
    });

    describe("ack", () => {
      test("the first ack moves the cursor and records the sync", async () => {
        const store = await open();
        const key = freshKey();
        await store.connect(key, { appType: "mobile_app" });
        const result = await store.ack(key, {
          position: { epoch, seq: 5 },
          events: 5,
          at: at("2025-11-29T10:00:00.000Z"),
        });
        expect(result).toEqual({ moved: true, acked: { epoch, seq: 5 }, syncCount: 1 });
        expect(await store.get(key)).toMatchObject({
          acked: { epoch, seq: 5 },
          lastSyncTime: "2025-11-29T10:00:00.000Z",
          syncCount: 1,
          lastEventCount: 5,
          totalEventsSynced: 5,
        });
      });

      test("moves forward only: a lower or equal seq of the same epoch changes nothing", async () => {
        const store = await open();
        const key = freshKey();
        await store.connect(key, { appType: "mobile_app" });
        await store.ack(key, {
          position: { epoch, seq: 5 },
          events: 5,
          at: at("2025-11-29T10:00:00Z"),
        });
        const first = await store.get(key);
        for (const seq of [5, 4, 0]) {
          const late = await store.ack(key, {
            position: { epoch, seq },
            events: 9,
            at: at("2025-11-29T11:00:00Z"),
          });
          // The position ahead of it, which the device is told to keep.
          expect(late).toEqual({ moved: false, acked: { epoch, seq: 5 }, syncCount: 1 });
        }
        expect(await store.get(key)).toEqual(first);
      });

      test("a higher seq moves the cursor; counts accumulate", async () => {
        const store = await open();
        const key = freshKey();
        await store.connect(key, { appType: "mobile_app" });
        await store.ack(key, {
          position: { epoch, seq: 5 },
          events: 5,
          at: at("2025-11-29T10:00:00Z"),
        });
        const next = await store.ack(key, {
          position: { epoch, seq: 8 },
          events: 3,
          at: at("2025-11-29T10:05:00.000Z"),
        });
        expect(next).toEqual({ moved: true, acked: { epoch, seq: 8 }, syncCount: 2 });
        expect(await store.get(key)).toMatchObject({
          acked: { epoch, seq: 8 },
          lastSyncTime: "2025-11-29T10:05:00.000Z",
          syncCount: 2,
          lastEventCount: 3,
          totalEventsSynced: 8,
        });
      });

      test("concurrent acks of several devices each answer as if made alone, in call order", async () => {
        const store = await open();
        const a = freshKey();
        const b = { ...a, deviceId: "tablet-2" };
        await store.connect(a, { appType: "mobile_app" });
        await store.connect(b, { appType: "manager_app" });
        const ack = (key: DeviceKey, seq: number) =>
          store.ack(key, { position: { epoch, seq }, events: 1, at: at("2025-11-29T10:00:00Z") });
        const results = await Promise.all([ack(a, 5), ack(b, 2), ack(a, 3), ack(a, 7), ack(b, 2)]);
        expect(results.map((r) => [r.moved, r.acked.seq, r.syncCount])).toEqual([
          [true, 5, 1],
          [true, 2, 1],
          [false, 5, 1],
          [true, 7, 2],
          [false, 2, 1],
        ]);
        expect((await store.get(b))?.appType).toBe("manager_app");
        expect(await store.get(a)).toMatchObject({ acked: { epoch, seq: 7 }, syncCount: 2 });
        expect(await store.get(b)).toMatchObject({ acked: { epoch, seq: 2 }, syncCount: 1 });
      });

      test("the acked position keeps its ledger watermark, and drops it when the next has none", async () => {
        const store = await open();
        const key = freshKey();
        await store.connect(key, { appType: "mobile_app" });
        const first = await store.ack(key, {
          position: { epoch, seq: 5, ledger: 90_001 },
          events: 5,
          at: at("2025-11-29T10:00:00Z"),
        });
        expect(first.acked).toEqual({ epoch, seq: 5, ledger: 90_001 });
        expect((await store.get(key))?.acked).toEqual({ epoch, seq: 5, ledger: 90_001 });
        const next = await store.ack(key, {
          position: { epoch, seq: 6 },
          events: 1,
          at: at("2025-11-29T10:00:01Z"),
        });
        expect(next.acked).toEqual({ epoch, seq: 6 });
        expect((await store.get(key))?.acked).toEqual({ epoch, seq: 6 });
      });

      test("a position of another epoch replaces the stored one, even with a lower seq", async () => {
        const store = await open();
        const key = freshKey();
        await store.connect(key, { appType: "mobile_app" });
        await store.ack(key, {
          position: { epoch, seq: 50 },
          events: 50,
          at: at("2025-11-29T10:00:00Z"),
        });
        const replaced = await store.ack(key, {
          position: { epoch: "bbbbbbbbbbbbbbbb", seq: 2 },
          events: 2,
          at: at("2025-11-29T10:06:00Z"),
        });
        expect(replaced).toEqual({
          moved: true,
          acked: { epoch: "bbbbbbbbbbbbbbbb", seq: 2 },
          syncCount: 2,
        });
        expect((await store.get(key))?.totalEventsSynced).toBe(52);
      });

      test("returned states are copies: mutating one does not change the store", async () => {
        const store = await open();
        const key = freshKey();
        const where: Record<string, Domain> = { "sale.order": [["state", "=", "sale"]] };
        const state = await store.connect(key, {
          appType: "mobile_app",
          models: ["sale.order"],
          where,
        });
        state.models.push("res.partner");
        state.syncCount = 99;
        state.where["sale.order"]?.push(["amount_total", ">", 0]);
        const { acked } = await store.ack(key, {
          position: { epoch, seq: 1 },
          events: 1,
          at: at("2025-11-29T10:00:00Z"),
        });
        acked.seq = 1000;
        const stored = await store.get(key);
        expect(stored?.models).toEqual(["sale.order"]);
        expect(stored?.where).toEqual({ "sale.order": [["state", "=", "sale"]] });
        expect(stored?.syncCount).toBe(1);
        expect(stored?.acked).toEqual({ epoch, seq: 1 });
      });
    });

    describe("isolation", () => {
      test("devices are keyed by (tenant, uid, deviceId)", async () => {
        const store = await open();
        const key = freshKey();
        const neighbours: DeviceKey[] = [
          { ...key, tenant: `${key.tenant}-other` },
          { ...key, uid: key.uid + 1 },
          { ...key, deviceId: `${key.deviceId}-other` },
        ];
        for (const n of neighbours)
          await store.connect(n, { appType: "manager_app", models: ["crm.lead"] });
        await store.connect(key, { appType: "sales_app", models: ["sale.order"] });
        await store.ack(key, {
          position: { epoch, seq: 7 },
          events: 7,
          at: at("2025-11-29T10:00:00Z"),
        });
        await store.addModels(key, ["res.partner"]);
        for (const n of neighbours) {
          expect(await store.get(n)).toEqual({
            ...n,
            appType: "manager_app",
            models: ["crm.lead"],
            where: {},
            acked: null,
            lastSyncTime: null,
            syncCount: 0,
            lastEventCount: 0,
            totalEventsSynced: 0,
          });
        }
        expect(await store.get(key)).toMatchObject({
          ...key,
          appType: "sales_app",
          acked: { epoch, seq: 7 },
        });
      });

      test("ids that could collide when joined are still distinct devices", async () => {
        const store = await open();
        const base = freshKey();
        const a: DeviceKey = { tenant: `${base.tenant}:1`, uid: 2, deviceId: "x" };
        const b: DeviceKey = { tenant: base.tenant, uid: 12, deviceId: "x" };
        const c: DeviceKey = { tenant: base.tenant, uid: 1, deviceId: "2:x" };
        await store.connect(a, { appType: "mobile_app", models: ["a"] });
        await store.connect(b, { appType: "mobile_app", models: ["b"] });
        await store.connect(c, { appType: "mobile_app", models: ["c"] });
        expect((await store.get(a))?.models).toEqual(["a"]);
        expect((await store.get(b))?.models).toEqual(["b"]);
        expect((await store.get(c))?.models).toEqual(["c"]);
      });
    });
  });
}
