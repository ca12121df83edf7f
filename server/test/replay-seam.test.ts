import type { NormalizedEvent } from "@odoo-live/protocol";
import { describe, expect, test } from "vitest";
import { joinSeam } from "../src/realtime/replay-seam.js";

const event = (seq: number, cursor = seq === 0 ? `odoo-${seq}` : `e-${seq}`) =>
  ({ id: `id-${seq}`, seq, cursor }) as NormalizedEvent;
const seqs = (events: NormalizedEvent[]) => events.map((e) => e.seq);

describe("joinSeam", () => {
  test("history, then the live events after the head it saw, in seq order", () => {
    const seam = joinSeam([event(3), event(5)], 6, "e-6", [event(8), event(7)]);
    expect(seqs(seam.events)).toEqual([3, 5, 7, 8]);
    expect(seam.cursor).toBe("e-8");
  });

  test("live events the history already covered are not sent twice", () => {
    const seam = joinSeam([event(4), event(6)], 6, "e-6", [event(5), event(6), event(7)]);
    expect(seqs(seam.events)).toEqual([4, 6, 7]);
  });

  test("a live event offered twice is sent once", () => {
    expect(seqs(joinSeam([], 2, "e-2", [event(3), event(3), event(4)]).events)).toEqual([3, 4]);
  });

  test("without later live events the cursor is the head the history saw", () => {
    const seam = joinSeam([event(2)], 9, "e-9", [event(9)]);
    expect(seam.cursor).toBe("e-9");
    expect(seqs(seam.events)).toEqual([2]);
  });

  test("ledger events of a deep resume come first, as given", () => {
    const ledger = { ...event(0), cursor: "odoo-41" };
    const seam = joinSeam([ledger, event(1)], 1, "e-1", [event(2)]);
    expect(seam.events.map((e) => e.cursor)).toEqual(["odoo-41", "e-1", "e-2"]);
  });
});
