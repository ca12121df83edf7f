/**
 * What every PullCursorStore implementation must do (each tenant's pull watermark), written once
 * and run against each: `pullCursorStoreContract("Redis", () => ...)`. Each test uses tenants of
 * its own, so shared storage need not be flushed between tests.
 */
import { afterEach, describe, expect, test } from "vitest";
import type { PullCursorStore } from "../../src/state/pull-cursor-store.js";

export type PullCursorStoreFactory = () => Promise<PullCursorStore>;

let counter = 0;

function freshTenant(): string {
  return `t-${process.pid}-${Date.now().toString(36)}-${++counter}`;
}

export function pullCursorStoreContract(name: string, factory: PullCursorStoreFactory): void {
  describe(`PullCursorStore contract: ${name}`, () => {
    const opened: PullCursorStore[] = [];
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    async function open(): Promise<PullCursorStore> {
      const store = await factory();
      opened.push(store);
      return store;
    }

    test("a tenant never advanced has no cursor", async () => {
      const store = await open();
      expect(await store.get(freshTenant())).toBeNull();
    });

    test("0 is a cursor, not the absence of one", async () => {
      const store = await open();
      const tenant = freshTenant();
      await store.advance(tenant, 0);
      expect(await store.get(tenant)).toBe(0);
    });

    test("moves forward only: a lower or equal ledger id changes nothing", async () => {
      const store = await open();
      const tenant = freshTenant();
      await store.advance(tenant, 10);
      expect(await store.get(tenant)).toBe(10);
      await store.advance(tenant, 5);
      await store.advance(tenant, 10);
      expect(await store.get(tenant)).toBe(10);
      await store.advance(tenant, 12);
      expect(await store.get(tenant)).toBe(12);
    });

    test("keeps ledger ids exactly, up to the largest safe integer", async () => {
      const store = await open();
      const tenant = freshTenant();
      await store.advance(tenant, Number.MAX_SAFE_INTEGER - 1);
      await store.advance(tenant, Number.MAX_SAFE_INTEGER);
      await store.advance(tenant, Number.MAX_SAFE_INTEGER - 1);
      expect(await store.get(tenant)).toBe(Number.MAX_SAFE_INTEGER);
    });

    test("tenants are isolated", async () => {
      const store = await open();
      const tenant = freshTenant();
      const neighbours = [`${tenant}-other`, `${tenant}:1`, `{${tenant}}`];
      await store.advance(tenant, 7);
      for (const neighbour of neighbours) expect(await store.get(neighbour)).toBeNull();
      await store.advance(neighbours[0]!, 3);
      expect(await store.get(tenant)).toBe(7);
      expect(await store.get(neighbours[0]!)).toBe(3);
    });

    test("concurrent advances keep the maximum", async () => {
      const store = await open();
      const tenant = freshTenant();
      const ids = Array.from({ length: 50 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
      await Promise.all(ids.map((id) => store.advance(tenant, id)));
      expect(await store.get(tenant)).toBe(50);
    });

    test("fencing: a lower token is refused, an equal or higher one accepted", async () => {
      const store = await open();
      const tenant = freshTenant();
      expect(await store.advance(tenant, 10, 2)).toBe(true);
      expect(await store.advance(tenant, 20, 1)).toBe(false);
      expect(await store.get(tenant)).toBe(10);
      expect(await store.advance(tenant, 20, 2)).toBe(true);
      expect(await store.advance(tenant, 30, 3)).toBe(true);
      expect(await store.advance(tenant, 40, 2)).toBe(false);
      expect(await store.get(tenant)).toBe(30);
      expect(await store.advance(tenant, 40)).toBe(true);
      expect(await store.get(tenant)).toBe(40);
      expect(await store.advance(freshTenant(), 1, 1)).toBe(true);
    });
  });
}
