import { describe, expect, test } from "vitest";
import { mergeSeqs, SeqIndex } from "../src/log/seq-index.js";

describe("mergeSeqs", () => {
  test("one list is the answer as it is; none is empty", () => {
    const only = [1, 4, 9];
    expect(mergeSeqs([[], only, []])).toBe(only);
    expect(mergeSeqs([[], []])).toEqual([]);
  });

  test("several ascending lists merge into one ascending list without duplicates", () => {
    expect(mergeSeqs([[1, 3, 5, 7], [2, 3, 8], [], [0, 7, 9]])).toEqual([0, 1, 2, 3, 5, 7, 8, 9]);
  });
});

describe("SeqIndex", () => {
  test("after() answers the seqs past a point; dropThrough() forgets the front", () => {
    const index = new SeqIndex();
    for (const seq of [2, 4, 6, 8]) index.push(seq);
    expect(index.after(4)).toEqual([6, 8]);
    index.dropThrough(6);
    expect(index.after(0)).toEqual([8]);
    expect(index.size).toBe(1);
  });
});
