/**
 * Who pulls each tenant's Odoo ledger, and how far the log holds it: one store, because the
 * watermark may be moved only by the current puller, and "current" must be decided where the
 * watermark is kept.
 *
 * **Lease.** A holder acquires a tenant for `ttlMs` and keeps it by acquiring again (renewing)
 * before the time runs out; when it stops renewing (it died, or lost Redis) the lease expires and
 * another holder gets it. Each new acquisition yields a fencing token higher than every earlier
 * one of the tenant, also after the store lost its data (a flushed Redis).
 *
 * **Watermark.** Every ledger row up to it is in the log. Writes carry a token and are refused
 * unless it is the newest one handed out: a deposed holder is fenced off from the moment another
 * holder acquires the lease, not from its successor's first write.
 */
export interface PullStore {
  /**
   * Acquires the tenant's lease for `holder`, or renews it when `holder` already has it, for
   * `ttlMs` from now. Resolves to the fencing token (the same one on renewal, a higher one on a
   * new acquisition), or to null while another holder has the lease.
   */
  acquire(tenant: string, holder: string, ttlMs: number): Promise<number | null>;
  /** Gives the lease up at once if `holder` has it; otherwise changes nothing. */
  release(tenant: string, holder: string): Promise<void>;
  /** The watermark, null before the tenant's first `start`; rejects when it cannot be read. */
  cursor(tenant: string): Promise<number | null>;
  /**
   * Stores `ledgerId` as the watermark unless one is stored already (it is computed once per
   * lifetime of the store, never again by a successor). Resolves to the stored watermark and
   * whether this call set it, or to null when `token` is fenced off.
   */
  start(tenant: string, ledgerId: number, token: number): Promise<PullStart | null>;
  /** Moves the watermark forward (a lower one changes nothing); false when fenced off. */
  advance(tenant: string, ledgerId: number, token: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface PullStart {
  ledgerId: number;
  created: boolean;
}

/** What a watermark must be: Redis' Lua compares doubles, exact for safe integers only. */
export function checkLedgerId(ledgerId: number): void {
  if (!Number.isSafeInteger(ledgerId) || ledgerId < 0)
    throw new RangeError(`ledger id must be a non-negative integer, got ${ledgerId}`);
}

export function checkTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
    throw new RangeError(`lease ttl must be a positive integer of ms, got ${ttlMs}`);
}
