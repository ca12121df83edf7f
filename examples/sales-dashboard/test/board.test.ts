import type { NormalizedEvent } from "@odoo-live/protocol";
import { describe, expect, test } from "vitest";
import { applyEvent, emptyBoard } from "../src/page/board.js";

let seq = 0;

/** A sale.order event as the hub delivers it: the record's full snapshot. */
function event(recordId: number, op: NormalizedEvent["op"], record: object, extra = {}) {
  seq++;
  return {
    id: `e${seq}`,
    seq,
    cursor: `c-${seq}`,
    tenant: "default",
    model: "sale.order",
    recordId,
    op,
    at: new Date(Date.UTC(2026, 0, 1, 9, 0, seq)).toISOString(),
    version: `2026-01-01T09:00:${String(seq).padStart(2, "0")}.000000Z`,
    priority: "medium",
    category: "business",
    actorUid: 2,
    changedFields: [],
    record: { id: recordId, ...record },
    origin: {},
    ...extra,
  } as NormalizedEvent;
}

const order = (state: string, amount: number) => ({
  name: "S00042",
  state,
  amount_total: amount,
  partner_id: { id: 7, name: "Azure Interior" },
  user_id: { id: 2, name: "Mitchell Admin" },
});

describe("the dashboard's board: the latest snapshot per record", () => {
  test("each snapshot replaces the order, an unlink removes it", () => {
    const board = emptyBoard();
    expect(applyEvent(board, event(42, "create", order("draft", 10)))).toBe(true);
    expect(applyEvent(board, event(42, "write", order("sale", 12)))).toBe(true);
    expect(board.orders["42"]).toMatchObject({
      name: "S00042",
      state: "sale",
      amount: 12,
      customer: "Azure Interior",
      salesperson: { id: 2, name: "Mitchell Admin" },
      changes: 2,
    });
    expect(applyEvent(board, event(42, "unlink", order("sale", 12)))).toBe(true);
    expect(board.orders).toEqual({});
    expect(board.applied).toBe(3);
  });

  test("an event marked stale, the same event twice and other models change nothing", () => {
    const board = emptyBoard();
    const latest = event(42, "write", order("sale", 12));
    applyEvent(board, latest);
    const before = structuredClone(board);
    expect(applyEvent(board, event(42, "write", order("draft", 10), { stale: true }))).toBe(false);
    expect(applyEvent(board, latest)).toBe(false);
    expect(applyEvent(board, { ...event(7, "write", {}), model: "res.partner" })).toBe(false);
    expect(board).toEqual(before);
  });

  test("an order without a salesperson (user_id false) is unassigned", () => {
    const board = emptyBoard();
    applyEvent(board, event(43, "create", { ...order("draft", 1), user_id: false }));
    expect(board.orders["43"]?.salesperson).toEqual({ id: false, name: "" });
  });
});
