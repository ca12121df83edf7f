/**
 * Increasing seqs with cheap trimming from the front and binary search, so that a replay touches
 * only the seqs after its cursor.
 */
export class SeqIndex {
  private seqs: number[] = [];
  private start = 0;

  push(seq: number): void {
    this.seqs.push(seq);
  }

  get size(): number {
    return this.seqs.length - this.start;
  }

  /** Drops every seq up to and including `seq`. */
  dropThrough(seq: number): void {
    while (this.start < this.seqs.length && (this.seqs[this.start] ?? Infinity) <= seq)
      this.start++;
    if (this.start > 1024 && this.start * 2 > this.seqs.length) {
      this.seqs = this.seqs.slice(this.start);
      this.start = 0;
    }
  }

  /** Seqs strictly greater than `seq`, ascending. */
  after(seq: number): number[] {
    let lo = this.start;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.seqs[mid] ?? Infinity) <= seq) lo = mid + 1;
      else hi = mid;
    }
    return this.seqs.slice(lo);
  }
}

/** Sorted union of ascending seq lists: one list is returned as it is, more are merged. */
export function mergeSeqs(lists: number[][]): number[] {
  const [first = [], ...rest] = lists.filter((list) => list.length > 0);
  return rest.reduce(mergeTwo, first);
}

/** Two ascending lists, merged without duplicates in one pass. */
function mergeTwo(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i] ?? Infinity;
    const y = b[j] ?? Infinity;
    out.push(Math.min(x, y));
    if (x <= y) i++;
    if (y <= x) j++;
  }
  return out;
}
