import { ExpiringMap } from "../ops/expiring-map.js";

/** The newest version the log holds of one record, and whether that change was its unlink. */
interface Newest {
  version: string;
  unlink: boolean;
}

/**
 * Whether a change reaches the log after a newer version of its record did (its push was lost
 * and its pull row read after a later change's push): it is still logged and delivered, marked
 * stale. Versions compare as strings (`recordVersion`: fixed-width ISO times); an unlink wins a
 * tie, its snapshot carrying the last write's `write_date`. Bounded like the dedupe window: a
 * record whose newest version was forgotten starts over, and its next change is not stale.
 */
export class RecordVersions {
  private readonly newest: ExpiringMap<string, Newest>;

  constructor(ttlMs: number, maxEntries: number, now?: () => number) {
    this.newest = new ExpiringMap({ ttlMs, maxEntries, now });
  }

  /** Records the change unless it is stale; says which. */
  stale(model: string, recordId: number, version: string | null, unlink: boolean): boolean {
    if (version === null) return false;
    const key = `${model}:${recordId}`;
    const known = this.newest.get(key);
    if (known !== undefined && isOlder({ version, unlink }, known)) return true;
    this.newest.set(key, { version, unlink });
    return false;
  }
}

function isOlder(change: Newest, known: Newest): boolean {
  if (change.version !== known.version) return change.version < known.version;
  return known.unlink && !change.unlink;
}
