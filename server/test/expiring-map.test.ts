import { describe, expect, test } from "vitest";
import { ExpiringMap } from "../src/ops/expiring-map.js";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("ExpiringMap", () => {
  test("an entry lives ttlMs after its last set", () => {
    const c = clock();
    const map = new ExpiringMap<string, number>({ ttlMs: 100, maxEntries: 10, now: c.now });
    map.set("a", 1);
    c.advance(60);
    map.set("b", 2);
    c.advance(40);
    expect([map.get("a"), map.get("b"), map.size]).toEqual([undefined, 2, 1]);
    map.set("b", 3);
    c.advance(99);
    expect(map.get("b")).toBe(3);
    c.advance(1);
    expect([map.get("b"), map.size]).toEqual([undefined, 0]);
  });

  test("past maxEntries, the entries set longest ago are dropped first", () => {
    const map = new ExpiringMap<string, number>({ ttlMs: 60_000, maxEntries: 3 });
    for (const [i, key] of ["a", "b", "c"].entries()) map.set(key, i);
    map.set("a", 9); // refreshed: now the newest
    map.set("d", 3);
    map.set("e", 4);
    expect(["a", "b", "c", "d", "e"].map((k) => map.get(k))).toEqual([
      9,
      undefined,
      undefined,
      3,
      4,
    ]);
    expect(map.size).toBe(3);
  });

  test("a hundred thousand distinct keys never hold more than the cap", () => {
    const map = new ExpiringMap<number, number>({ ttlMs: 60_000, maxEntries: 1000 });
    for (let i = 0; i < 100_000; i++) map.set(i, i);
    expect([map.size, map.get(99_999), map.get(98_999)]).toEqual([1000, 99_999, undefined]);
  });
});
