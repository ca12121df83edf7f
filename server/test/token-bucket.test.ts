import { describe, expect, test } from "vitest";
import { TokenBuckets } from "../src/ops/token-bucket.js";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("TokenBuckets", () => {
  test("a burst is allowed, then refused until the bucket refills", () => {
    const c = clock();
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3 }, c.now);
    expect([1, 2, 3, 4].map(() => buckets.take("k"))).toEqual([true, true, true, false]);
    c.advance(499);
    expect(buckets.take("k")).toBe(false);
    c.advance(1); // 500 ms at 2/s: one token
    expect(buckets.take("k")).toBe(true);
    expect(buckets.take("k")).toBe(false);
  });

  test("refill never exceeds the burst", () => {
    const c = clock();
    const buckets = new TokenBuckets({ perSecond: 10, burst: 2 }, c.now);
    buckets.take("k");
    c.advance(60_000);
    expect([1, 2, 3].map(() => buckets.take("k"))).toEqual([true, true, false]);
  });

  test("refused takes do not consume (a flood does not push recovery further out)", () => {
    const c = clock();
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, c.now);
    expect(buckets.take("k")).toBe(true);
    for (let i = 0; i < 100; i++) expect(buckets.take("k")).toBe(false);
    c.advance(1000);
    expect(buckets.take("k")).toBe(true);
  });

  test("keys are independent", () => {
    const c = clock();
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, c.now);
    expect(buckets.take("a")).toBe(true);
    expect(buckets.take("a")).toBe(false);
    expect(buckets.take("b")).toBe(true);
  });

  test("past maxKeys the least recently used key is forgotten (and starts full again)", () => {
    const c = clock();
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, c.now, 2);
    expect(buckets.take("a")).toBe(true);
    expect(buckets.take("b")).toBe(true);
    expect(buckets.take("a")).toBe(false); // a is now the most recently used
    expect(buckets.take("c")).toBe(true); // evicts b
    expect(buckets.take("a")).toBe(false); // a kept its empty bucket
    expect(buckets.take("b")).toBe(true); // b was forgotten
  });
});
