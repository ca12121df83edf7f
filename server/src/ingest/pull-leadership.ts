import type { Logger } from "../ops/logger.js";
import type { PullStore } from "../state/pull-store.js";

export interface PullLeadershipOptions {
  store: PullStore;
  tenant: string;
  /** This node's holder id, unique per process (and per hub within a process). */
  holder: string;
  logger: Logger;
  /** How long a lease lasts unless renewed (default 5 s): how long a dead leader blocks others. */
  ttlMs?: number | undefined;
}

/**
 * One node's claim to pull one tenant: acquires and renews the tenant's lease, and remembers
 * the fencing token it holds. The poller calls `renew()` before each pass and at least every
 * `renewEveryMs` while idle, and `release()` when it stops, so another node takes over at once.
 */
export class PullLeadership {
  readonly ttlMs: number;
  private held: number | undefined;

  constructor(private readonly options: PullLeadershipOptions) {
    this.ttlMs = options.ttlMs ?? 5000;
  }

  /** Renew well within the TTL, so that a slow Redis call does not lose the lease. */
  get renewEveryMs(): number {
    return Math.floor(this.ttlMs / 3);
  }

  /** How often a node that does not lead asks again. */
  get retryEveryMs(): number {
    return Math.min(1000, this.renewEveryMs);
  }

  /** The fencing token while this node leads, else undefined. */
  get token(): number | undefined {
    return this.held;
  }

  /** Acquires or renews the lease; resolves to the token, or undefined while another node leads. */
  async renew(): Promise<number | undefined> {
    const { store, tenant, holder, logger } = this.options;
    const token = (await store.acquire(tenant, holder, this.ttlMs)) ?? undefined;
    if (token !== this.held) {
      // The fencing token is no secret: it says which acquisition wrote what.
      if (this.held !== undefined)
        logger.info({ tenant, holder, fence: this.held }, "lost the pull lease");
      if (token !== undefined)
        logger.info({ tenant, holder, fence: token }, "holding the pull lease");
    }
    this.held = token;
    return token;
  }

  /** Forgets the lease at once (a write was fenced off: another node has a newer token). */
  drop(): void {
    const { tenant, holder, logger } = this.options;
    logger.info(
      { tenant, holder, fence: this.held },
      "lost the pull lease: fenced off by a newer holder",
    );
    this.held = undefined;
  }

  /** Gives the lease up so that another node takes over without waiting for the TTL. */
  async release(): Promise<void> {
    if (this.held === undefined) return;
    this.held = undefined;
    const { store, tenant, holder, logger } = this.options;
    await store
      .release(tenant, holder)
      .catch((error: unknown) => logger.warn({ err: error, tenant }, "pull lease release failed"));
  }
}
