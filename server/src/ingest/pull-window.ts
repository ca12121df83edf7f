/**
 * The pull watermark. Postgres gives `update.webhook` ids at INSERT and shows rows at COMMIT, so
 * a reader can see id 12 while id 11 is still uncommitted. `stable` only passes an id once it
 * has been read, or once it has been missing for `windowMs` (a rolled-back transaction, a row
 * another consumer hid); every read starts again from `stable`, so a late commit inside the
 * window is read on a later pass.
 */
export class PullWindow {
  /** Ids above `stable` read in earlier passes (they are read again; remembering is cheap). */
  private readonly seen = new Set<number>();
  /** First time each missing id was noticed. */
  private readonly missingSince = new Map<number, number>();

  constructor(
    private stableId: number,
    private readonly windowMs: number,
  ) {}

  get stable(): number {
    return this.stableId;
  }

  /** Ids still waited for, oldest first. */
  get waitingFor(): number[] {
    return [...this.missingSince.keys()].sort((a, b) => a - b);
  }

  /** Whether an earlier pass already read `id` (it is in the log; re-reading it is only a check). */
  logged(id: number): boolean {
    return id <= this.stableId || this.seen.has(id);
  }

  /** Records the ids one full pass read (all ids above `stable` that Odoo showed); returns `stable`. */
  observe(ids: Iterable<number>, now: number): number {
    let highest = this.stableId;
    for (const id of this.seen) highest = Math.max(highest, id);
    for (const id of ids) {
      if (id <= this.stableId) continue;
      this.seen.add(id);
      highest = Math.max(highest, id);
    }
    let stable = this.stableId;
    for (let id = this.stableId + 1; id <= highest; id++) {
      if (this.seen.has(id) || this.expired(id, now)) {
        if (stable === id - 1) stable = id;
      }
    }
    this.advance(stable);
    return stable;
  }

  private expired(id: number, now: number): boolean {
    const since = this.missingSince.get(id);
    if (since === undefined) {
      this.missingSince.set(id, now);
      return this.windowMs === 0;
    }
    return now - since >= this.windowMs;
  }

  private advance(stable: number): void {
    this.stableId = stable;
    for (const id of this.seen) if (id <= stable) this.seen.delete(id);
    for (const id of this.missingSince.keys()) if (id <= stable) this.missingSince.delete(id);
  }
}
