/**
 * What every Lease implementation must do (one pull leader per tenant), written once and run
 * against each: `leaseContract("Redis", () => ...)`. Each test uses tenants of its own, so
 * shared storage need not be flushed between tests.
 */
import { afterEach, describe, expect, test } from "vitest";
import { waitFor } from "../../../test/helpers/wait.js";
import type { Lease } from "../../src/state/lease.js";

export type LeaseFactory = () => Promise<Lease>;

let counter = 0;

function freshTenant(): string {
  return `t-${process.pid}-${Date.now().toString(36)}-${++counter}`;
}

const LONG = 60_000;

export function leaseContract(name: string, factory: LeaseFactory): void {
  describe(`Lease contract: ${name}`, () => {
    const opened: Lease[] = [];
    afterEach(async () => {
      for (const lease of opened.splice(0)) await lease.close();
    });

    async function open(): Promise<Lease> {
      const lease = await factory();
      opened.push(lease);
      return lease;
    }

    test("the first holder gets a token; another holder gets null while it holds", async () => {
      const lease = await open();
      const tenant = freshTenant();
      const token = await lease.acquire(tenant, "a", LONG);
      expect(token).toEqual(expect.any(Number));
      expect(await lease.acquire(tenant, "b", LONG)).toBeNull();
    });

    test("renewing by the same holder keeps the same token", async () => {
      const lease = await open();
      const tenant = freshTenant();
      const token = await lease.acquire(tenant, "a", LONG);
      expect(await lease.acquire(tenant, "a", LONG)).toBe(token);
      expect(await lease.acquire(tenant, "a", LONG)).toBe(token);
    });

    test("after a release another holder acquires it with a higher token", async () => {
      const lease = await open();
      const tenant = freshTenant();
      const first = (await lease.acquire(tenant, "a", LONG))!;
      await lease.release(tenant, "a");
      const second = (await lease.acquire(tenant, "b", LONG))!;
      expect(second).toBeGreaterThan(first);
      await lease.release(tenant, "b");
      expect(await lease.acquire(tenant, "a", LONG)).toBeGreaterThan(second);
    });

    test("releasing by a holder that does not hold it changes nothing", async () => {
      const lease = await open();
      const tenant = freshTenant();
      const token = await lease.acquire(tenant, "a", LONG);
      await lease.release(tenant, "b");
      expect(await lease.acquire(tenant, "b", LONG)).toBeNull();
      expect(await lease.acquire(tenant, "a", LONG)).toBe(token);
    });

    test("an unrenewed lease expires; the next holder gets a higher token", async () => {
      const lease = await open();
      const tenant = freshTenant();
      const first = (await lease.acquire(tenant, "a", 100))!;
      let second: number | null = null;
      await waitFor(async () => (second = await lease.acquire(tenant, "b", LONG)) !== null, {
        what: "the lease to expire",
      });
      expect(second).toBeGreaterThan(first);
      expect(await lease.acquire(tenant, "a", LONG)).toBeNull();
    });

    test("renewal extends the lease past its first TTL", async () => {
      const lease = await open();
      const tenant = freshTenant();
      const token = await lease.acquire(tenant, "a", 400);
      const until = Date.now() + 800;
      while (Date.now() < until) {
        expect(await lease.acquire(tenant, "a", 400)).toBe(token);
        expect(await lease.acquire(tenant, "b", 400)).toBeNull();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });

    test("tenants are isolated", async () => {
      const lease = await open();
      const tenant = freshTenant();
      await lease.acquire(tenant, "a", LONG);
      for (const neighbour of [`${tenant}-other`, `${tenant}:1`, `{${tenant}}`])
        expect(await lease.acquire(neighbour, "b", LONG)).toEqual(expect.any(Number));
    });

    test("concurrent acquisitions by many holders: exactly one wins", async () => {
      const lease = await open();
      const tenant = freshTenant();
      const holders = Array.from({ length: 20 }, (_, i) => `h${i}`);
      const tokens = await Promise.all(holders.map((h) => lease.acquire(tenant, h, LONG)));
      expect(tokens.filter((t) => t !== null)).toHaveLength(1);
    });
  });
}
