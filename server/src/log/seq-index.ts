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

/** Sorted union of ascending seq lists. */
export function mergeSeqs(lists: number[][]): number[] {
  if (lists.length === 1) return lists[0] ?? [];
  return [...new Set(lists.flat())].sort((a, b) => a - b);
}
