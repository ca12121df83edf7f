import { describe, expect, it } from "vitest";
import { backoffDelay } from "../src/backoff.js";

const options = { minDelayMs: 100, maxDelayMs: 2000 };

describe("backoffDelay", () => {
  it("doubles the upper bound per attempt until the maximum", () => {
    const almostOne = 1 - Number.EPSILON;
    const caps = [0, 1, 2, 3, 4, 5, 10].map((attempt) => backoffDelay(attempt, options, almostOne));
    expect(caps).toEqual([99, 199, 399, 799, 1599, 1999, 1999]);
  });

  it("spreads delays over the whole range (full jitter)", () => {
    expect(backoffDelay(3, options, 0)).toBe(0);
    expect(backoffDelay(3, options, 0.5)).toBe(400);
    expect(backoffDelay(3, options, 0.25)).toBe(200);
  });

  it("stays within [0, max] for any attempt and random value", () => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      for (const random of [0, 0.1, 0.5, 0.9, 0.999999]) {
        const delay = backoffDelay(attempt, options, random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(options.maxDelayMs);
        expect(Number.isInteger(delay)).toBe(true);
      }
    }
  });

  it("treats a negative attempt as the first", () => {
    expect(backoffDelay(-5, options, 0.5)).toBe(50);
  });
});
