import { describe, expect, test } from "vitest";
import { RecordView } from "../src/record-view.js";
import { makeEvent } from "./helpers.js";

const at = (micros: string) => `2026-11-29T21:48:54.${micros}Z`;

function change(recordId: number, version: string | null, extra: object = {}) {
  return { ...makeEvent(recordId), recordId, version, record: { id: recordId, version }, ...extra };
}

describe("RecordView", () => {
  test("keeps each record's newest snapshot, whatever the order its events came in", () => {
    const view = new RecordView();
    expect(view.apply(change(1, at("000002")))).toBe(true);
    expect(view.apply(change(1, at("000001")))).toBe(false);
    expect(view.get("sale.order", 1)).toEqual({ id: 1, version: at("000002") });
    expect(view.apply(change(1, at("000003")))).toBe(true);
    expect(view.get("sale.order", 1)).toEqual({ id: 1, version: at("000003") });
  });

  test("ignores an event the hub marked stale, even a newer-looking one", () => {
    const view = new RecordView();
    view.apply(change(2, at("000001")));
    expect(view.apply(change(2, at("000009"), { stale: true }))).toBe(false);
    expect(view.get("sale.order", 2)).toEqual({ id: 2, version: at("000001") });
  });

  test("an unlink removes the record and wins a tie with a write of the same version", () => {
    const view = new RecordView();
    view.apply(change(3, at("000005")));
    expect(view.apply(change(3, at("000005"), { op: "unlink" }))).toBe(true);
    expect(view.get("sale.order", 3)).toBeUndefined();
    expect(view.apply(change(3, at("000005")))).toBe(false);
    expect(view.all("sale.order").size).toBe(0);
    expect(view.apply(change(3, at("000006")))).toBe(true);
    expect([...view.all("sale.order").keys()]).toEqual([3]);
  });

  test("records without a version take every change; models are apart", () => {
    const view = new RecordView();
    view.apply(change(4, null));
    expect(view.apply(change(4, null, { record: { id: 4, name: "later" } }))).toBe(true);
    expect(view.get("sale.order", 4)).toEqual({ id: 4, name: "later" });
    expect(view.get("res.partner", 4)).toBeUndefined();
  });
});
