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

  test("a key deleted and set again lives ttlMs after its new set", () => {
    const c = clock();
    const map = new ExpiringMap<string, number>({ ttlMs: 100, maxEntries: 2, now: c.now });
    map.set("a", 1);
    map.delete("a");
    c.advance(50);
    map.set("a", 2);
    map.set("b", 3);
    c.advance(50); // a's first set has expired: its place must not take the second with it
    expect([map.get("a"), map.get("b")]).toEqual([2, 3]);
    map.set("c", 4); // over the cap: a (set before b) goes
    expect([map.get("a"), map.get("b"), map.get("c")]).toEqual([undefined, 3, 4]);
  });

  test("agrees with a plain model over many sets, deletes and expiries", () => {
    // Enough operations on few keys that the set-order queue is cut and rebuilt many times.
    const c = clock();
    const map = new ExpiringMap<number, number>({ ttlMs: 500, maxEntries: 40, now: c.now });
    const model: { key: number; value: number; expiry: number }[] = [];
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return Math.floor((seed / 2 ** 32) * n);
    };
    const live = () => model.filter((e) => e.expiry > c.now());
    for (let step = 0; step < 50_000; step++) {
      // Spells of a few hot keys and a still clock: stale places pile up with nothing dropped.
      const hot = Math.floor(step / 5000) % 2 === 1;
      const key = hot ? random(8) : random(60);
      const action = random(10);
      if (action < 6) {
        const index = model.findIndex((e) => e.key === key);
        if (index >= 0) model.splice(index, 1);
        model.push({ key, value: step, expiry: c.now() + 500 });
        map.set(key, step);
        const kept = live();
        model.splice(0, model.length, ...kept.slice(Math.max(0, kept.length - 40)));
      } else if (action < 7) {
        const index = model.findIndex((e) => e.key === key);
        if (index >= 0) model.splice(index, 1);
        map.delete(key);
      } else if (action < 8) {
        if (!hot) c.advance(random(40));
      } else {
        expect(map.get(key)).toBe(live().find((e) => e.key === key)?.value);
      }
    }
    expect(map.size).toBe(live().length);
  });
});
