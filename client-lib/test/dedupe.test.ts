import { describe, expect, it } from "vitest";
import { RecentIds } from "../src/dedupe.js";

describe("RecentIds", () => {
  it("reports an id as seen the second time", () => {
    const ids = new RecentIds(10);
    expect(ids.seen("a")).toBe(false);
    expect(ids.seen("a")).toBe(true);
    expect(ids.seen("b")).toBe(false);
  });

  it("evicts the least recently seen id beyond its capacity", () => {
    const ids = new RecentIds(3);
    for (const id of ["a", "b", "c"]) ids.seen(id);
    expect(ids.seen("a")).toBe(true); // a is now the most recent; b the least
    expect(ids.seen("d")).toBe(false); // evicts b
    expect(ids.size).toBe(3);
    expect(ids.seen("c")).toBe(true);
    expect(ids.seen("a")).toBe(true);
    expect(ids.seen("b")).toBe(false);
  });

  it("forgets everything on clear", () => {
    const ids = new RecentIds(3);
    ids.seen("a");
    ids.clear();
    expect(ids.seen("a")).toBe(false);
  });
});
