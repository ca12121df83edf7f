import { describe, expect, test } from "vitest";
import { PullWindow } from "../src/ingest/pull-window.js";

describe("PullWindow", () => {
  test("advances over contiguous ids", () => {
    const window = new PullWindow(0, 10_000);
    expect(window.observe([1, 2, 3], 0)).toBe(3);
    expect(window.observe([4], 1)).toBe(4);
  });

  test("takes a pass of 300,000 rows (a backlog read in one pass)", () => {
    const window = new PullWindow(0, 10_000);
    const ids = Array.from({ length: 300_000 }, (_, i) => i + 2);
    expect(window.observe(ids, 0)).toBe(0);
    expect(window.observe([1], 1)).toBe(300_001);
  });

  test("holds behind a gap until the late row commits", () => {
    const window = new PullWindow(10, 10_000);
    expect(window.observe([11, 13, 14], 0)).toBe(11);
    expect(window.waitingFor).toEqual([12]);
    // Re-read from 11: still missing, still waiting.
    expect(window.observe([13, 14, 15], 4_000)).toBe(11);
    // Row 12 commits late and is read on the next pass.
    expect(window.observe([12, 13, 14, 15], 8_000)).toBe(15);
    expect(window.waitingFor).toEqual([]);
  });

  test("passes a gap that stays missing for the whole window (rolled back)", () => {
    const window = new PullWindow(0, 10_000);
    expect(window.observe([1, 3], 0)).toBe(1);
    expect(window.observe([3], 9_999)).toBe(1);
    expect(window.observe([3], 10_000)).toBe(3);
  });

  test("each gap has its own clock", () => {
    const window = new PullWindow(0, 10_000);
    expect(window.observe([2], 0)).toBe(0);
    expect(window.observe([2, 4], 5_000)).toBe(0);
    expect(window.observe([2, 4], 10_000)).toBe(2);
    expect(window.waitingFor).toEqual([3]);
    expect(window.observe([2, 4], 15_000)).toBe(4);
  });

  test("ignores ids at or below stable and survives an empty pass", () => {
    const window = new PullWindow(5, 10_000);
    expect(window.observe([3, 5], 0)).toBe(5);
    expect(window.observe([], 1)).toBe(5);
  });

  test("a zero window passes gaps at once", () => {
    const window = new PullWindow(0, 0);
    expect(window.observe([1, 5], 0)).toBe(5);
  });

  test("knows which ids an earlier pass read", () => {
    const window = new PullWindow(10, 10_000);
    window.observe([11, 13], 0);
    expect([10, 11, 12, 13, 14].map((id) => window.logged(id))).toEqual([
      true,
      true,
      false,
      true,
      false,
    ]);
  });
});
