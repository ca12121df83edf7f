/**
 * What every PullStore implementation must do (who pulls each tenant, and its watermark),
 * written once and run against each: `pullStoreContract("Redis", () => ...)`. Each test uses
 * tenants of its own, so shared storage need not be flushed between tests.
 */
import { afterEach, describe, expect, test } from "vitest";
import { waitFor } from "../../../test/helpers/wait.js";
import type { PullStore } from "../../src/state/pull-store.js";

export type PullStoreFactory = () => Promise<PullStore>;

let counter = 0;

function freshTenant(): string {
  return `t-${process.pid}-${Date.now().toString(36)}-${++counter}`;
}

const LONG = 60_000;

export function pullStoreContract(name: string, factory: PullStoreFactory): void {
  describe(`PullStore contract: ${name}`, () => {
    const opened: PullStore[] = [];
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    async function open(): Promise<PullStore> {
      const store = await factory();
      opened.push(store);
      return store;
    }

    /** A tenant whose lease `holder` holds, with its token. */
    async function leased(store: PullStore, holder = "a") {
      const tenant = freshTenant();
      const token = (await store.acquire(tenant, holder, LONG)) as number;
      expect(token).toEqual(expect.any(Number));
      return { tenant, token };
    }

    describe("lease", () => {
      test("the first holder gets a token; another holder gets null while it holds", async () => {
        const store = await open();
        const { tenant } = await leased(store);
        expect(await store.acquire(tenant, "b", LONG)).toBeNull();
      });

      test("renewing by the same holder keeps the same token", async () => {
        const store = await open();
        const { tenant, token } = await leased(store);
        expect(await store.acquire(tenant, "a", LONG)).toBe(token);
        expect(await store.acquire(tenant, "a", LONG)).toBe(token);
      });

      test("after a release another holder acquires it with a higher token", async () => {
        const store = await open();
        const { tenant, token: first } = await leased(store);
        await store.release(tenant, "a");
        const second = (await store.acquire(tenant, "b", LONG))!;
        expect(second).toBeGreaterThan(first);
        await store.release(tenant, "b");
        expect(await store.acquire(tenant, "a", LONG)).toBeGreaterThan(second);
      });

      test("releasing by a holder that does not hold it changes nothing", async () => {
        const store = await open();
        const { tenant, token } = await leased(store);
        await store.release(tenant, "b");
        expect(await store.acquire(tenant, "b", LONG)).toBeNull();
        expect(await store.acquire(tenant, "a", LONG)).toBe(token);
      });

      test("an unrenewed lease expires; the next holder gets a higher token", async () => {
        const store = await open();
        const tenant = freshTenant();
        const first = (await store.acquire(tenant, "a", 100))!;
        let second: number | null = null;
        await waitFor(async () => (second = await store.acquire(tenant, "b", LONG)) !== null, {
          what: "the lease to expire",
        });
        expect(second).toBeGreaterThan(first);
        expect(await store.acquire(tenant, "a", LONG)).toBeNull();
      });

      test("renewal extends the lease past its first TTL", async () => {
        const store = await open();
        const tenant = freshTenant();
        const token = await store.acquire(tenant, "a", 400);
        const until = Date.now() + 800;
        while (Date.now() < until) {
          expect(await store.acquire(tenant, "a", 400)).toBe(token);
          expect(await store.acquire(tenant, "b", 400)).toBeNull();
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      });

      test("concurrent acquisitions by many holders: exactly one wins", async () => {
        const store = await open();
        const tenant = freshTenant();
        const holders = Array.from({ length: 20 }, (_, i) => `h${i}`);
        const tokens = await Promise.all(holders.map((h) => store.acquire(tenant, h, LONG)));
        expect(tokens.filter((t) => t !== null)).toHaveLength(1);
      });

      test("invalid TTLs reject the call", async () => {
        const store = await open();
        await expect(store.acquire(freshTenant(), "a", 0)).rejects.toThrow(RangeError);
        await expect(store.acquire(freshTenant(), "a", 1.5)).rejects.toThrow(RangeError);
      });
    });

    describe("watermark", () => {
      test("a tenant never started has none; the first start stores it", async () => {
        const store = await open();
        const { tenant, token } = await leased(store);
        expect(await store.cursor(tenant)).toBeNull();
        expect(await store.start(tenant, 0, token)).toEqual({ ledgerId: 0, created: true });
        expect(await store.cursor(tenant)).toBe(0);
      });

      test("start is computed once per store: a successor finds the first one", async () => {
        const store = await open();
        const { tenant, token } = await leased(store);
        await store.start(tenant, 90_000, token);
        await store.release(tenant, "a");
        const successor = (await store.acquire(tenant, "b", LONG))!;
        expect(await store.start(tenant, 95_000, successor)).toEqual({
          ledgerId: 90_000,
          created: false,
        });
        expect(await store.advance(tenant, 90_010, successor)).toBe(true);
        expect(await store.start(tenant, 0, successor)).toEqual({
          ledgerId: 90_010,
          created: false,
        });
      });

      test("moves forward only: a lower or equal ledger id changes nothing", async () => {
        const store = await open();
        const { tenant, token } = await leased(store);
        await store.start(tenant, 10, token);
        await store.advance(tenant, 5, token);
        await store.advance(tenant, 10, token);
        expect(await store.cursor(tenant)).toBe(10);
        await store.advance(tenant, 12, token);
        expect(await store.cursor(tenant)).toBe(12);
      });

      test("keeps ledger ids exactly, up to the largest safe integer", async () => {
        const store = await open();
        const { tenant, token } = await leased(store);
        await store.start(tenant, Number.MAX_SAFE_INTEGER - 1, token);
        await store.advance(tenant, Number.MAX_SAFE_INTEGER, token);
        await store.advance(tenant, Number.MAX_SAFE_INTEGER - 1, token);
        expect(await store.cursor(tenant)).toBe(Number.MAX_SAFE_INTEGER);
      });

      test("invalid ledger ids reject the call and change nothing", async () => {
        const store = await open();
        const { tenant, token } = await leased(store);
        await expect(store.start(tenant, -1, token)).rejects.toThrow(RangeError);
        await expect(store.start(tenant, 1.5, token)).rejects.toThrow(RangeError);
        await expect(store.advance(tenant, Number.MAX_SAFE_INTEGER + 2, token)).rejects.toThrow(
          RangeError,
        );
        expect(await store.cursor(tenant)).toBeNull();
      });

      test("tenants are isolated", async () => {
        const store = await open();
        const { tenant, token } = await leased(store);
        await store.start(tenant, 7, token);
        const neighbours = [`${tenant}-other`, `${tenant}:1`, `{${tenant}}`];
        for (const neighbour of neighbours) {
          expect(await store.cursor(neighbour)).toBeNull();
          expect(await store.acquire(neighbour, "b", LONG)).toEqual(expect.any(Number));
        }
        expect(await store.cursor(tenant)).toBe(7);
      });

      test("concurrent advances keep the maximum", async () => {
        const store = await open();
        const { tenant, token } = await leased(store);
        await store.start(tenant, 0, token);
        const ids = Array.from({ length: 50 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
        await Promise.all(ids.map((id) => store.advance(tenant, id, token)));
        expect(await store.cursor(tenant)).toBe(50);
      });
    });

    describe("fencing", () => {
      test("a deposed holder is fenced off as soon as another acquires, before it writes", async () => {
        const store = await open();
        const tenant = freshTenant();
        const old = (await store.acquire(tenant, "a", 100))!;
        expect(await store.start(tenant, 10, old)).toEqual({ ledgerId: 10, created: true });
        let next: number | null = null;
        await waitFor(async () => (next = await store.acquire(tenant, "b", LONG)) !== null, {
          what: "the lease to expire",
        });
        // The new holder has written nothing yet; the old one is refused all the same.
        expect(await store.advance(tenant, 20, old)).toBe(false);
        expect(await store.start(tenant, 20, old)).toBeNull();
        expect(await store.cursor(tenant)).toBe(10);
        expect(await store.advance(tenant, 20, next!)).toBe(true);
        expect(await store.cursor(tenant)).toBe(20);
      });

      test("a token the lease never handed out is refused", async () => {
        const store = await open();
        const { tenant, token } = await leased(store);
        expect(await store.start(freshTenant(), 1, token)).toBeNull();
        expect(await store.start(tenant, 1, token + 1)).toBeNull();
        expect(await store.advance(tenant, 1, token - 1)).toBe(false);
        expect(await store.cursor(tenant)).toBeNull();
      });

      test("an expired lease nobody took over still lets its holder write", async () => {
        const store = await open();
        const tenant = freshTenant();
        const token = (await store.acquire(tenant, "a", 50))!;
        await store.start(tenant, 1, token);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(await store.advance(tenant, 2, token)).toBe(true);
        expect(await store.acquire(tenant, "a", LONG)).toBeGreaterThan(token);
      });
    });
  });
}
