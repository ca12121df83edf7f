import { describe, expect, test } from "vitest";
import {
  continuity,
  decodeCursor,
  encodeCursor,
  newEpoch,
  type Position,
} from "../src/log/position.js";

describe("cursors", () => {
  test("encode then decode gives the position back", () => {
    const epoch = newEpoch();
    for (const seq of [0, 1, 42, 1_000_000, Number.MAX_SAFE_INTEGER]) {
      const cursor = encodeCursor({ epoch, seq });
      expect(decodeCursor(cursor)).toEqual({ epoch, seq });
    }
  });

  test("a position with its ledger watermark encodes it, and decodes back", () => {
    const epoch = newEpoch();
    for (const ledger of [0, 1, 90_001, Number.MAX_SAFE_INTEGER]) {
      const cursor = encodeCursor({ epoch, seq: 5, ledger });
      expect(cursor).toBe(`${epoch}-5-${ledger}`);
      expect(decodeCursor(cursor)).toEqual({ epoch, seq: 5, ledger });
    }
  });

  test("new epochs are distinct and decodable", () => {
    // More than one draw of the pool (512 epochs per 4 KiB): none repeats across refills.
    const epochs = new Set(Array.from({ length: 2000 }, () => newEpoch()));
    expect(epochs.size).toBe(2000);
    for (const epoch of epochs)
      expect(decodeCursor(encodeCursor({ epoch, seq: 7 }))?.epoch).toBe(epoch);
  });

  test.each([
    ["empty", ""],
    ["no separator", "abcdef0123456789"],
    ["no seq", "abcdef0123456789-"],
    ["no epoch", "-5"],
    ["epoch too short", "abc1234-5"],
    ["epoch too long", `${"a".repeat(33)}-5`],
    ["upper-case epoch", "ABCDEF0123456789-5"],
    ["negative seq", "abcdef0123456789--5"],
    ["leading zero", "abcdef0123456789-05"],
    ["fraction", "abcdef0123456789-1.5"],
    ["exponent", "abcdef0123456789-1e3"],
    ["whitespace", " abcdef0123456789-5"],
    ["trailing text", "abcdef0123456789-5x"],
    ["three numbers", "abcdef0123456789-5-6-7"],
    ["ledger with a leading zero", "abcdef0123456789-5-06"],
    ["unsafe ledger", "abcdef0123456789-5-9007199254740993"],
    ["unsafe integer", "abcdef0123456789-9007199254740993"],
    ["huge", `abcdef0123456789-${"9".repeat(40)}`],
  ])("rejects a malformed cursor: %s", (_what, cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});

describe("continuity", () => {
  const head: Position = { epoch: "aaaaaaaaaaaaaaaa", seq: 10 };

  test("another epoch → epoch_changed (even with a plausible seq)", () => {
    expect(continuity({ epoch: "bbbbbbbbbbbbbbbb", seq: 5 }, head, 0)).toBe("epoch_changed");
    expect(continuity({ epoch: "bbbbbbbbbbbbbbbb", seq: 50 }, head, 0)).toBe("epoch_changed");
  });

  test("a seq beyond the head → cursor_unknown", () => {
    expect(continuity({ epoch: head.epoch, seq: 11 }, head, 0)).toBe("cursor_unknown");
  });

  test("a seq before the oldest retained event → cursor_expired", () => {
    // Events 1..4 were trimmed; a device at 3 would miss event 4.
    expect(continuity({ epoch: head.epoch, seq: 3 }, head, 4)).toBe("cursor_expired");
    expect(continuity({ epoch: head.epoch, seq: 0 }, head, 4)).toBe("cursor_expired");
  });

  test("at the trim point, within retention, or at the head → ok", () => {
    expect(continuity({ epoch: head.epoch, seq: 4 }, head, 4)).toBe("ok");
    expect(continuity({ epoch: head.epoch, seq: 7 }, head, 4)).toBe("ok");
    expect(continuity({ epoch: head.epoch, seq: 10 }, head, 4)).toBe("ok");
    expect(continuity({ epoch: head.epoch, seq: 0 }, { epoch: head.epoch, seq: 0 }, 0)).toBe("ok");
  });

  test("everything trimmed: only the head itself is continuous", () => {
    expect(continuity({ epoch: head.epoch, seq: 10 }, head, 10)).toBe("ok");
    expect(continuity({ epoch: head.epoch, seq: 9 }, head, 10)).toBe("cursor_expired");
  });
});
