/**
 * The pull watermark. Postgres gives `update.webhook` ids at INSERT and shows rows at COMMIT, so
 * a reader can see id 12 while id 11 is still uncommitted. `stable` only passes an id once it
 * has been read, or once it has been missing for `windowMs` (a rolled-back transaction, a row
 * another consumer hid); every read starts again from `stable`, so a late commit inside the
 * window is read on a later pass.
 *
 * Missing ids are kept as ranges, so the cost of a pass follows the rows read, not the span of
 * ids between them (a ledger whose old rows were deleted has gaps of millions of ids).
 */
export class PullWindow {
  private stableId: number;
  /** The highest id read so far (at least `stable`). */
  private highest: number;
  /** Ids above `stable` read in earlier passes (they are read again; remembering is cheap). */
  private readonly seen = new Set<number>();
  /** Missing id ranges in (stable, highest], ascending and disjoint. */
  private readonly gaps: Gap[] = [];
  private awaitingFirstRow: boolean;

  /**
   * With `openAtFirstRow` (a start that knows no row, such as an empty ledger: watermark 0), the
   * window begins just below the first row read instead of waiting out every id beneath it.
   */
  constructor(
    start: number,
    private readonly windowMs: number,
    { openAtFirstRow = false } = {},
  ) {
    this.stableId = start;
    this.highest = start;
    this.awaitingFirstRow = openAtFirstRow;
  }

  get stable(): number {
    return this.stableId;
  }

  /** The id ranges still waited for, oldest first, as `[from, to]`. */
  get waitingFor(): [number, number][] {
    return this.gaps.map((gap) => [gap.from, gap.to]);
  }

  /** Whether an earlier pass already read `id` (it is in the log; re-reading it is only a check). */
  logged(id: number): boolean {
    return id <= this.stableId || this.seen.has(id);
  }

  /** Records the ids one full pass read (all ids above `stable` that Odoo showed). */
  observe(ids: Iterable<number>, now: number): Observed {
    const fresh = [...new Set(ids)].filter((id) => !this.logged(id)).sort((a, b) => a - b);
    const first = fresh[0];
    if (this.awaitingFirstRow && first !== undefined) {
      this.awaitingFirstRow = false;
      this.stableId = this.highest = first - 1;
    }
    for (const id of fresh) this.read(id, now);
    const skipped = this.advance(now);
    return { stable: this.stableId, skipped };
  }

  private read(id: number, now: number): void {
    this.seen.add(id);
    if (id > this.highest) {
      if (id > this.highest + 1) this.gaps.push({ from: this.highest + 1, to: id - 1, since: now });
      this.highest = id;
      return;
    }
    // A late commit inside a known gap splits it; both parts keep their clock.
    const index = this.gapEndingAtOrAfter(id);
    const gap = this.gaps[index];
    if (gap === undefined || gap.from > id) return;
    const parts = [
      { ...gap, to: id - 1 },
      { ...gap, from: id + 1 },
    ].filter((part) => part.from <= part.to);
    this.gaps.splice(index, 1, ...parts);
  }

  /** Binary search: the first gap whose end is at or above `id`. */
  private gapEndingAtOrAfter(id: number): number {
    let lo = 0;
    let hi = this.gaps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.gaps[mid]?.to ?? Infinity) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private advance(now: number): Skipped[] {
    const skipped: Skipped[] = [];
    let passed = 0;
    for (;;) {
      const next = this.stableId + 1;
      if (this.seen.delete(next)) {
        this.stableId = next;
        continue;
      }
      const gap = this.gaps[passed];
      if (gap?.from !== next || now - gap.since < this.windowMs) break;
      passed += 1;
      skipped.push({ from: gap.from, to: gap.to, waitedMs: now - gap.since });
      this.stableId = gap.to;
    }
    this.gaps.splice(0, passed);
    return skipped;
  }
}

interface Gap {
  from: number;
  to: number;
  /** When the range was first seen missing. */
  since: number;
}

/** Ids passed as rolled back (missing for the whole window). */
export interface Skipped {
  from: number;
  to: number;
  waitedMs: number;
}

export interface Observed {
  stable: number;
  skipped: Skipped[];
}
