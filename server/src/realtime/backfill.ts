import { normalizePullRow } from "@odoo-live/protocol";
import { nativeHash } from "../ingest/native-hash.js";
import type { Ingestor } from "../ingest/ingest.js";
import type { EventLog } from "../log/event-log.js";
import type { OdooConnection } from "../odoo/odoo-connections.js";

export interface BackfillDeps {
  log: EventLog;
  ingestor: Ingestor;
  odoo: ReadonlyMap<string, OdooConnection>;
}

/** Rows per ledger read. */
const PAGE = 500;

/**
 * Fills in a tenant's log below its pull coverage with the ledger rows resuming devices need
 * (a restarted hub starts pulling after Odoo's newest row; its devices were further back). The
 * rows enter through the one ingest path as history, so a later push or pull of the same change
 * is a duplicate. One fill at a time per tenant: when many devices resume at once, each ledger
 * page of the missed range is read from Odoo once, whatever the number of devices.
 */
export class Backfills {
  private readonly running = new Map<string, Promise<boolean>>();

  constructor(private readonly deps: BackfillDeps) {}

  /** Resolves true once the log holds every ledger row above `from`; false when it cannot. */
  ensure(tenant: string, from: number): Promise<boolean> {
    const previous = this.running.get(tenant) ?? Promise.resolve(true);
    const run = previous.catch(() => false).then(() => this.fill(tenant, from));
    this.running.set(tenant, run);
    const forget = () => {
      if (this.running.get(tenant) === run) this.running.delete(tenant);
    };
    run.then(forget, forget);
    return run;
  }

  private async fill(tenant: string, from: number): Promise<boolean> {
    const { log, ingestor } = this.deps;
    const floor = await log.ledgerFloor(tenant);
    if (floor === null || floor === Infinity) return false;
    if (from >= floor) return true;
    const ledger = this.deps.odoo.get(tenant)?.ledger;
    if (ledger === undefined) return false;
    for (let after = from; after < floor;) {
      const page = await ledger.readAfter(after, PAGE);
      // Rows come in ledger order: the page up to the floor, in one log call.
      const below = page.rows.filter((row) => row.id <= floor);
      const changes = below.map((row) => ({ draft: normalizePullRow(tenant, row, nativeHash) }));
      await ingestor.ingestMany(tenant, changes, "catchup");
      const last = page.rows.at(-1);
      if (!page.hasMore || last === undefined || last.id >= floor) break;
      after = last.id;
    }
    await log.markHistory(tenant, from);
    // A trimmed event can hold the floor above `from` (its row is gone from the log).
    return ((await log.ledgerFloor(tenant)) ?? Infinity) <= from;
  }
}
