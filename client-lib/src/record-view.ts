import type { NormalizedEvent } from "@odoo-live/protocol";

type Snapshot = NormalizedEvent["record"];

interface Held {
  record: Snapshot;
  version: string | null;
  deleted: boolean;
}

/**
 * The latest snapshot of each record the app has seen, never going back to an older one: events
 * carry whole snapshots, so the newest event of a record is all a screen needs. An event marked
 * `stale` (an older change that reached the hub late), or whose version is older than the one
 * held, changes nothing; an `unlink` removes the record (and wins a tie with a write of the same
 * version, its snapshot carrying the last write's `write_date`).
 *
 * ```ts
 * const orders = new RecordView();
 * live.on("event", (event) => { if (orders.apply(event)) render(orders.all("sale.order")); });
 * ```
 */
export class RecordView {
  readonly #records = new Map<string, Map<number, Held>>();

  /** Takes an event into the view; true when the view changed. */
  apply(event: NormalizedEvent): boolean {
    if (event.stale === true) return false;
    let records = this.#records.get(event.model);
    if (records === undefined) {
      records = new Map();
      this.#records.set(event.model, records);
    }
    const held = records.get(event.recordId);
    const deleted = event.op === "unlink";
    if (held !== undefined && isOlder(event.version, deleted, held)) return false;
    records.set(event.recordId, { record: event.record, version: event.version, deleted });
    return true;
  }

  /** The record's latest snapshot; undefined when never seen or deleted. */
  get(model: string, recordId: number): Snapshot | undefined {
    const held = this.#records.get(model)?.get(recordId);
    return held === undefined || held.deleted ? undefined : held.record;
  }

  /** Every record of `model` the view holds (deleted ones left out), by record id. */
  all(model: string): Map<number, Snapshot> {
    const out = new Map<number, Snapshot>();
    for (const [id, held] of this.#records.get(model) ?? []) {
      if (!held.deleted) out.set(id, held.record);
    }
    return out;
  }
}

/** Versions are fixed-width ISO times: they compare as strings. Unknown ones never lose. */
function isOlder(version: string | null, deleted: boolean, held: Held): boolean {
  if (version === null || held.version === null) return false;
  if (version !== held.version) return version < held.version;
  return held.deleted && !deleted;
}
