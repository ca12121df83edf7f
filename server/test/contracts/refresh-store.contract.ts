/**
 * What every RefreshStore implementation must do (each device's refresh chain: rotation, theft
 * detection, one chain per device, expiry), written once and run against each. Each test uses a
 * tenant of its own; tenants named `short-…` get a 200 ms TTL, the others a minute.
 */
import { afterEach, describe, expect, test } from "vitest";
import { waitFor } from "../../../test/helpers/wait.js";
import type { DeviceKey } from "../../src/state/device-store.js";
import type { RefreshStore, RefreshStoreOptions } from "../../src/state/refresh-store.js";

export type RefreshStoreFactory = (options: RefreshStoreOptions) => Promise<RefreshStore>;

const SHORT_MS = 200;
const ttlMs = (tenant: string) => (tenant.startsWith("short-") ? SHORT_MS : 60_000);

let counter = 0;

function freshDevice(overrides: Partial<DeviceKey> = {}, kind = "t"): DeviceKey {
  const tenant = `${kind}-${process.pid}-${Date.now().toString(36)}-${++counter}`;
  return { tenant, uid: 7, deviceId: "phone-1", ...overrides };
}

export function refreshStoreContract(name: string, factory: RefreshStoreFactory): void {
  describe(`RefreshStore contract: ${name}`, () => {
    const opened: RefreshStore[] = [];
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    async function open(): Promise<RefreshStore> {
      const store = await factory({ ttlMs });
      opened.push(store);
      return store;
    }

    async function started(kind = "t") {
      const store = await open();
      const device = freshDevice({}, kind);
      await store.start(device, "s1", "sales_app");
      return { store, device };
    }

    test("a started chain checks valid with its app type, as often as asked", async () => {
      const { store, device } = await started();
      expect(await store.check(device, "s1")).toEqual({ status: "valid", appType: "sales_app" });
      expect(await store.check(device, "s1")).toEqual({ status: "valid", appType: "sales_app" });
    });

    test("a device without a chain is unknown", async () => {
      const store = await open();
      expect(await store.check(freshDevice(), "s1")).toEqual({ status: "unknown" });
      expect(await store.rotate(freshDevice(), "s1", "s2")).toEqual({ status: "unknown" });
    });

    test("rotation makes the next secret current; the used one then ends the chain", async () => {
      const { store, device } = await started();
      expect(await store.rotate(device, "s1", "s2")).toEqual({
        status: "valid",
        appType: "sales_app",
      });
      expect((await store.rotate(device, "s2", "s3")).status).toBe("valid");
      expect(await store.rotate(device, "s1", "x")).toEqual({ status: "reused" });
      // Ended: the thief's and the device's secrets alike.
      expect(await store.check(device, "s3")).toEqual({ status: "unknown" });
    });

    test("checking a secret that is not current ends the chain too", async () => {
      const { store, device } = await started();
      expect(await store.check(device, "not-it")).toEqual({ status: "reused" });
      expect(await store.check(device, "s1")).toEqual({ status: "unknown" });
    });

    test("one secret used twice at once: exactly one rotation wins, and the chain ends", async () => {
      const { store, device } = await started();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.rotate(device, "s1", `next-${i}`)),
      );
      const winners = results.flatMap((r, i) => (r.status === "valid" ? [`next-${i}`] : []));
      expect(winners).toHaveLength(1);
      expect(results.map((r) => r.status)).toContain("reused");
      expect(await store.check(device, winners[0]!)).toEqual({ status: "unknown" });
    });

    test("signing in again on a device ends its earlier chain", async () => {
      const { store, device } = await started();
      await store.start(device, "fresh", "mobile_app");
      expect(await store.check(device, "fresh")).toEqual({
        status: "valid",
        appType: "mobile_app",
      });
      expect(await store.rotate(device, "s1", "x")).toEqual({ status: "reused" });
    });

    test("revoke ends the chain; revoking nothing is fine", async () => {
      const { store, device } = await started();
      await store.revoke(device);
      await store.revoke(device);
      expect(await store.check(device, "s1")).toEqual({ status: "unknown" });
    });

    test("chains are per tenant, user and device id", async () => {
      const { store, device } = await started();
      const others: DeviceKey[] = [
        { ...device, tenant: `${device.tenant}-other` },
        { ...device, uid: device.uid + 1 },
        { ...device, deviceId: "phone-2" },
        { ...device, deviceId: "phone-1:x" },
      ];
      for (const other of others) {
        expect(await store.check(other, "s1")).toEqual({ status: "unknown" });
        await store.start(other, "o1", "mobile_app");
        await store.revoke(other);
      }
      expect((await store.check(device, "s1")).status).toBe("valid");
    });

    test("a chain expires its TTL after the last rotation, not before", async () => {
      const { store, device } = await started("short");
      let secret = "s1";
      const until = Date.now() + 2 * SHORT_MS;
      for (let i = 0; Date.now() < until; i++) {
        expect((await store.rotate(device, secret, `s${i + 2}`)).status).toBe("valid");
        secret = `s${i + 2}`;
        await new Promise((resolve) => setTimeout(resolve, SHORT_MS / 4));
      }
      await waitFor(async () => (await store.check(device, secret)).status === "unknown", {
        what: "the chain to expire",
      });
    });
  });
}
