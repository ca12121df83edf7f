import type { LedgerRow } from "./types.js";

export interface PullQuery {
  /** `id > after`. */
  after: number;
  /** Undefined: no limit (Odoo's `search(limit=0)`). */
  limit: number | undefined;
  models: readonly unknown[] | undefined;
  priority: unknown;
}

/**
 * The `update.webhook` table. Ids come from one sequence when the row is inserted, but a row is
 * visible only once its transaction commits, so rows can appear below ids already served.
 */
export class Ledger {
  private lastId = 0;
  /** Committed rows, ascending id. */
  private readonly committed: LedgerRow[] = [];

  /** `nextval()` at INSERT: consumed even when the transaction later rolls back. */
  allocateId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  commit(row: LedgerRow): void {
    this.committed.splice(this.indexAfter(row.id - 1), 0, row);
  }

  all(): readonly LedgerRow[] {
    return this.committed;
  }

  /** The module's pull domain: `id > after AND NOT is_processed AND NOT is_archived`, id asc. */
  pull(query: PullQuery): LedgerRow[] {
    const page: LedgerRow[] = [];
    for (let i = this.indexAfter(query.after); i < this.committed.length; i += 1) {
      if (query.limit !== undefined && page.length >= query.limit) break;
      const row = this.committed[i] as LedgerRow;
      if (pending(row) && matches(row, query)) page.push(row);
    }
    return page;
  }

  /** Any pending row above `id`, whatever the pull's filters were (reference §5.3). */
  hasPendingAfter(id: number): boolean {
    return this.committed.slice(this.indexAfter(id)).some(pending);
  }

  pendingCount(): number {
    return this.committed.filter(pending).length;
  }

  /**
   * `browse(ids).write({is_processed: True, processed_at: now})`; unknown ids are ignored, ids
   * Postgres cannot read as integers fail the whole call (false).
   */
  markProcessed(ids: readonly unknown[], at: Date): boolean {
    const numeric = ids.map(toId);
    if (numeric.some((id) => id === undefined)) return false;
    for (const row of this.rowsWithIds(numeric as number[])) {
      row.is_processed = true;
      row.processed_at = at;
    }
    return true;
  }

  archive(ids: readonly number[], at: Date): void {
    for (const row of this.rowsWithIds(ids)) {
      row.is_archived = true;
      row.archived_at = at;
    }
  }

  private rowsWithIds(ids: readonly number[]): LedgerRow[] {
    const wanted = new Set(ids);
    return this.committed.filter((row) => wanted.has(row.id));
  }

  /** Index of the first committed row with an id above `id` (binary search). */
  private indexAfter(id: number): number {
    let [low, high] = [0, this.committed.length];
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.committed[mid] as LedgerRow).id <= id) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

function pending(row: LedgerRow): boolean {
  return !row.is_processed && !row.is_archived;
}

function matches(row: LedgerRow, query: PullQuery): boolean {
  if (query.models !== undefined && !query.models.includes(row.model)) return false;
  return query.priority === undefined || row.priority === query.priority;
}

/** What Postgres accepts in `id IN (...)`: integers and integer literals. */
function toId(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}
