/**
 * Who pulls each tenant from Odoo: one holder at a time across every hub node.
 *
 * A holder acquires a tenant for `ttlMs` and keeps it by acquiring again (renewing) before the
 * time runs out; when it stops renewing (it died, or lost Redis), the lease expires and another
 * holder gets it. Each new acquisition of a tenant yields a fencing token higher than every
 * earlier one of that tenant, so that writes carrying the token can refuse a deposed holder.
 */
export interface Lease {
  /**
   * Acquires the tenant's lease for `holder`, or renews it when `holder` already has it, for
   * `ttlMs` from now. Resolves to the fencing token (the same one on renewal, a higher one on a
   * new acquisition), or to null while another holder has the lease.
   */
  acquire(tenant: string, holder: string, ttlMs: number): Promise<number | null>;
  /** Gives the lease up at once if `holder` has it; otherwise changes nothing. */
  release(tenant: string, holder: string): Promise<void>;
  close(): Promise<void>;
}
