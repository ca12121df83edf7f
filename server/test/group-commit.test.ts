import { describe, expect, test } from "vitest";
import { GroupCommit, ItemFailure, Overloaded } from "../src/ops/group-commit.js";

/** A run that records the batches it was given and answers each item doubled, a tick later. */
function doubling() {
  const batches: number[][] = [];
  const run = async (_key: string, items: readonly number[]) => {
    batches.push([...items]);
    await new Promise((resolve) => setImmediate(resolve));
    return items.map((n) => n * 2);
  };
  return { batches, run };
}

describe("GroupCommit", () => {
  test("an idle key runs a call at once; calls arriving meanwhile go together in the next run", async () => {
    const { batches, run } = doubling();
    const commit = new GroupCommit(run, { maxBatch: 100 });
    const results = await Promise.all([
      commit.submit("t", [1]),
      commit.submit("t", [2, 3]),
      commit.submit("t", [4]),
    ]);
    expect(results).toEqual([[2], [4, 6], [8]]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  test("keys do not wait for each other", async () => {
    const { batches, run } = doubling();
    const commit = new GroupCommit(run, { maxBatch: 100 });
    await Promise.all([commit.submit("a", [1]), commit.submit("b", [2]), commit.submit("a", [3])]);
    expect(batches).toEqual([[1], [2], [3]]);
  });

  test("a run takes whole calls up to maxBatch items, and a larger call alone", async () => {
    const { batches, run } = doubling();
    const commit = new GroupCommit(run, { maxBatch: 3 });
    const calls = [[0], [1, 2], [3], [4, 5, 6, 7], [8], [9]];
    const results = await Promise.all(calls.map((items) => commit.submit("t", items)));
    expect(results).toEqual(calls.map((items) => items.map((n) => n * 2)));
    expect(batches).toEqual([[0], [1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  test("a failed run rejects only its own calls; the next run goes on", async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit(
      async (_key, items: readonly number[]) => {
        batches.push([...items]);
        await new Promise((resolve) => setImmediate(resolve));
        if (items.includes(2)) throw new Error("Redis went away");
        return [...items];
      },
      { maxBatch: 100 },
    );
    const settled = await Promise.allSettled([
      commit.submit("t", [1]),
      commit.submit("t", [2]),
      commit.submit("t", [3]),
    ]);
    expect(batches).toEqual([[1], [2, 3]]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "rejected"]);
    expect(await commit.submit("t", [4])).toEqual([4]);
  });

  test("an item that failed on its own rejects its caller only", async () => {
    const commit = new GroupCommit(
      async (_key, items: readonly number[]) => {
        await new Promise((resolve) => setImmediate(resolve));
        return items.map((n) => (n === 3 ? new ItemFailure(new Error("item 3 is bad")) : n));
      },
      { maxBatch: 100 },
    );
    const settled = await Promise.allSettled([
      commit.submit("t", [1]),
      commit.submit("t", [2]),
      commit.submit("t", [3, 4]),
      commit.submit("t", [5]),
    ]);
    expect(settled.map((s) => (s.status === "fulfilled" ? s.value : String(s.reason)))).toEqual([
      [1],
      [2],
      "Error: item 3 is bad",
      [5],
    ]);
  });

  test("past maxWaiting items queued behind a run, a call is refused at once", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const commit = new GroupCommit(
      async (_key, items: readonly number[]) => {
        await gate;
        return [...items];
      },
      { maxBatch: 100, maxWaiting: 3 },
    );
    const running = commit.submit("t", [0]);
    const waiting = [commit.submit("t", [1, 2]), commit.submit("t", [3])];
    const refused = commit.submit("t", [4]);
    await expect(refused).rejects.toThrow("too many calls waiting: 3 items");
    await expect(refused).rejects.toBeInstanceOf(Overloaded);
    // Another key has a queue of its own.
    const other = commit.submit("u", [9]);
    release();
    expect(await Promise.all([running, ...waiting, other])).toEqual([[0], [1, 2], [3], [9]]);
    // Once the runs took them, the queue has room again.
    expect(await commit.submit("t", [5])).toEqual([5]);
  });

  test("a run that answers the wrong number of results fails its calls", async () => {
    const commit = new GroupCommit(async (_key, items: readonly number[]) => items.slice(1), {
      maxBatch: 100,
    });
    await expect(commit.submit("t", [1, 2])).rejects.toThrow("answered 1 results for 2 items");
  });

  test("with lingerMs, an idle key's first call waits for the calls that come meanwhile", async () => {
    const { batches, run } = doubling();
    const commit = new GroupCommit(run, { maxBatch: 100, lingerMs: 1000 });
    const first = commit.submit("t", [1]);
    // A later turn of the event loop: without the linger, [1] would have run alone by now.
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([]);
    const second = commit.submit("t", [2, 3]);
    expect(await Promise.all([first, second])).toEqual([[2], [4, 6]]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  test("a lingering queue that reaches maxBatch runs without waiting the linger out", async () => {
    const { batches, run } = doubling();
    const commit = new GroupCommit(run, { maxBatch: 3, lingerMs: 600_000 });
    const calls = [commit.submit("t", [1]), commit.submit("t", [2, 3])];
    // A call of maxBatch items on an idle key does not linger either.
    calls.push(commit.submit("u", [4, 5, 6]));
    expect(await Promise.all(calls)).toEqual([[2], [4, 6], [8, 10, 12]]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  test("flush runs what lingers and settles once every call has its answer", async () => {
    const { batches, run } = doubling();
    const commit = new GroupCommit(run, { maxBatch: 100, lingerMs: 600_000 });
    const calls = [commit.submit("a", [1]), commit.submit("b", [2])];
    await commit.flush();
    expect(batches).toEqual([[1], [2]]);
    expect(await Promise.all(calls)).toEqual([[2], [4]]);
    await commit.flush(); // nothing left: settles at once
  });
});
