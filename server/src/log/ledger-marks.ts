/**
 * A log's Odoo ledger marks: "every ledger row up to `ledgerId` is in the log at or before
 * `seq`", rising with seqs. Kept bounded: marks below the oldest retained seq collapse into the
 * last one of them, which still answers for the seqs after it. The lowest row the log holds from
 * is the first mark, or lower once a catch-up filled in history below it.
 */
export class LedgerMarks {
  private marks: { seq: number; ledgerId: number }[] = [];
  /**
   * Marks before this index are forgotten. A pull marks every row and a full log trims one event
   * per append: the list is copied only once half of it is forgotten, not at every trim.
   */
  private first = 0;
  private from: number | undefined;

  mark(seq: number, ledgerId: number): void {
    const last = this.marks.at(-1);
    if (last !== undefined && ledgerId <= last.ledgerId) return;
    this.from ??= ledgerId;
    this.marks.push({ seq, ledgerId });
  }

  /** The highest mark made at or before `seq`. */
  at(seq: number): number | undefined {
    let lo = this.first;
    let hi = this.marks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.marks[mid]?.seq ?? Infinity) <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo > this.first ? this.marks[lo - 1]?.ledgerId : undefined;
  }

  last(): number | undefined {
    return this.marks.at(-1)?.ledgerId;
  }

  /** The lowest row from which every row is in the log; undefined before the first mark. */
  lowest(): number | undefined {
    return this.from;
  }

  extendDown(ledgerId: number): void {
    if (this.from !== undefined && ledgerId < this.from) this.from = ledgerId;
  }

  /** Seqs up to `seq` are gone: keep only the last mark among them, for the seqs after. */
  forgetThrough(seq: number): void {
    while ((this.marks[this.first + 1]?.seq ?? Infinity) <= seq) this.first++;
    if (this.first > 0 && this.first * 2 >= this.marks.length) {
      this.marks = this.marks.slice(this.first);
      this.first = 0;
    }
  }
}
