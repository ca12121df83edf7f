import type { NormalizedEvent } from "@odoo-live/protocol";
import { describe, expect, test } from "vitest";
import { compact } from "../src/log/compact.js";

describe("compact", () => {
  const e = (seq: number, recordId: number, extra: Partial<NormalizedEvent> = {}) =>
    ({ seq, recordId, model: "sale.order", op: "write", ...extra }) as NormalizedEvent;

  test("keeps each record's latest event, in order; an unlink stands for the end", () => {
    const events = [e(1, 1), e(2, 2), e(3, 1), e(4, 3), e(5, 2, { op: "unlink" }), e(6, 1)];
    const { events: kept, left } = compact(events);
    expect(kept.map((k) => k.seq)).toEqual([4, 5, 6]);
    expect(left).toBe(3);
  });

  test("records are told apart by model as well as id", () => {
    const partner = (seq: number) => e(seq, 1, { model: "res.partner" });
    const { events: kept, left } = compact([e(1, 1), partner(2), e(3, 1), partner(4)]);
    expect(kept.map((k) => k.seq)).toEqual([3, 4]);
    expect(left).toBe(2);
  });

  test("a stale event never stands for its record", () => {
    const { events: kept } = compact([e(1, 1), e(2, 1, { stale: true })]);
    expect(kept.map((k) => k.seq)).toEqual([1]);
  });
});
