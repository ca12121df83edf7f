import { describe, expect, it, vi } from "vitest";
import { SerialQueue } from "../src/queue.js";
import { deferred, type Deferred } from "./helpers.js";

describe("SerialQueue", () => {
  it("runs async items one at a time, in push order", async () => {
    const gates = new Map<string, Deferred<void>>();
    const log: string[] = [];
    const queue = new SerialQueue<{ name: string }>(async ({ name }) => {
      log.push(`start ${name}`);
      const gate = deferred();
      gates.set(name, gate);
      await gate.promise;
      log.push(`end ${name}`);
    }, vi.fn());
    for (const name of ["a", "b", "c"]) queue.push({ name });

    await vi.waitFor(() => expect(gates.has("a")).toBe(true));
    expect(queue.waiting).toBe(2);
    gates.get("a")!.resolve();
    await vi.waitFor(() => expect(gates.has("b")).toBe(true));
    gates.get("b")!.resolve();
    await vi.waitFor(() => expect(gates.has("c")).toBe(true));
    gates.get("c")!.resolve();
    await queue.idle();

    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("reports a failing item and carries on with the next", async () => {
    const onError = vi.fn();
    const done: number[] = [];
    const queue = new SerialQueue<{ n: number }>(async ({ n }) => {
      if (n === 1) throw new Error("boom");
      done.push(n);
    }, onError);
    for (const n of [0, 1, 2]) queue.push({ n });
    await queue.idle();
    expect(done).toEqual([0, 2]);
    expect(onError).toHaveBeenCalledOnce();
  });

  it("drops waiting items on clear but finishes the one in progress", async () => {
    const gate = deferred();
    const done: number[] = [];
    const queue = new SerialQueue<{ n: number }>(async ({ n }) => {
      if (n === 0) await gate.promise;
      done.push(n);
    }, vi.fn());
    for (const n of [0, 1, 2]) queue.push({ n });
    queue.clear();
    gate.resolve();
    await queue.idle();
    expect(done).toEqual([0]);
  });

  it("is idle at once when nothing was pushed", async () => {
    await expect(new SerialQueue(async () => {}, vi.fn()).idle()).resolves.toBeUndefined();
  });
});
