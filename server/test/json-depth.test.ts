import { describe, expect, test } from "vitest";
import { nestedDeeperThan } from "../src/http/json-depth.js";

const nested = (levels: number): unknown =>
  JSON.parse(`${"[".repeat(levels)}${"]".repeat(levels)}`);

describe("nestedDeeperThan", () => {
  test("counts objects and arrays, not scalars; the body itself is level 1", () => {
    expect(nestedDeeperThan(1, 0)).toBe(false);
    expect(nestedDeeperThan("text", 0)).toBe(false);
    expect(nestedDeeperThan({}, 0)).toBe(true);
    expect(nestedDeeperThan({}, 1)).toBe(false);
    const body = { data: { user_id: { id: 2, name: "A" }, lines: [{ id: 1, tags: [] }] } };
    expect(nestedDeeperThan(body, 5)).toBe(false);
    expect(nestedDeeperThan(body, 4)).toBe(true);
  });

  test("finds the one deep branch among wide shallow ones", () => {
    const wide = Array.from({ length: 100_000 }, (_, i) => ({ id: i }));
    expect(nestedDeeperThan({ wide, deep: nested(10) }, 11)).toBe(false);
    expect(nestedDeeperThan({ wide, deep: nested(10) }, 10)).toBe(true);
  });

  test("a hundred thousand levels are checked without overflowing the stack", () => {
    expect(nestedDeeperThan(nested(100_000), 64)).toBe(true);
  });
});
