import { describe, expect, test } from "vitest";
import { waitFor } from "../../test/helpers/wait.js";
import { Deadlines } from "../src/realtime/deadlines.js";

describe("Deadlines", () => {
  test("runDue runs what is due, earliest first, and nothing else", () => {
    let now = 1000;
    const deadlines = new Deadlines(() => now);
    const ran: string[] = [];
    for (const [at, name] of [
      [1500, "c"],
      [1100, "a"],
      [1300, "b"],
      [9000, "late"],
    ] as const)
      deadlines.add(at, { due: () => ran.push(name) });
    now = 1400;
    deadlines.runDue();
    expect(ran).toEqual(["a", "b"]);
    now = 1500;
    deadlines.runDue();
    expect(ran).toEqual(["a", "b", "c"]);
    deadlines.stop();
  });

  test("a cancelled deadline never runs", () => {
    let now = 0;
    const deadlines = new Deadlines(() => now);
    const ran: number[] = [];
    const first = deadlines.add(10, { due: () => ran.push(1) });
    deadlines.add(20, { due: () => ran.push(2) });
    first.cancel();
    now = 30;
    deadlines.runDue();
    expect(ran).toEqual([2]);
    deadlines.stop();
  });

  test("its timer runs a deadline by itself, also one added after a later one", async () => {
    const deadlines = new Deadlines();
    const ran: string[] = [];
    deadlines.add(Date.now() + 60_000, { due: () => ran.push("later") });
    deadlines.add(Date.now() + 30, { due: () => ran.push("soon") });
    await waitFor(() => ran.length === 1, { what: "the soon deadline" });
    expect(ran).toEqual(["soon"]);
    deadlines.stop();
  });

  test("keeps order over many deadlines added in random order", () => {
    let now = 0;
    const deadlines = new Deadlines(() => now);
    const ran: number[] = [];
    const times = Array.from({ length: 500 }, (_, i) => i).sort(() => Math.random() - 0.5);
    for (const at of times) deadlines.add(at, { due: (due) => ran.push(due) });
    now = 1000;
    deadlines.runDue();
    expect(ran).toEqual([...times].sort((a, b) => a - b));
    expect(deadlines.size).toBe(0);
  });

  test("cancelled deadlines let go of their targets, and a sweep drops them once most are", () => {
    let now = 0;
    const deadlines = new Deadlines(() => now);
    const ran: number[] = [];
    const kept = Array.from({ length: 1000 }, (_, i) =>
      deadlines.add(10_000 + i, { due: () => ran.push(i) }),
    );
    const gone = Array.from({ length: 3000 }, (_, i) =>
      deadlines.add(5000 + i, { due: () => ran.push(-1) }),
    );
    for (const deadline of gone) deadline.cancel();
    expect(gone.every((deadline) => deadline.target === undefined)).toBe(true);
    // Swept when 2,000 of the 4,000 were cancelled; the last 1,000 wait for their turn.
    expect(deadlines.size).toBe(2000);
    kept[0]!.cancel();
    now = 20_000;
    deadlines.runDue();
    expect(ran).toEqual(Array.from({ length: 999 }, (_, i) => i + 1));
    expect(deadlines.size).toBe(0);
  });
});
