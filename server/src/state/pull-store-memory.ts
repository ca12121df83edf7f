import { checkLedgerId, checkTtl, type PullStart, type PullStore } from "./pull-store.js";

interface TenantPull {
  holder: string | undefined;
  expiresAt: number;
  /** The newest token handed out. */
  token: number;
  cursor: number | null;
}

/**
 * The pull store within one process (the embedded hub: its own pollers are the only holders).
 * Async like the Redis one, so that bad arguments reject rather than throw.
 */
export class MemoryPullStore implements PullStore {
  private readonly tenants = new Map<string, TenantPull>();

  constructor(private readonly now: () => number = Date.now) {}

  async acquire(tenant: string, holder: string, ttlMs: number): Promise<number | null> {
    checkTtl(ttlMs);
    const now = this.now();
    const pull = this.tenant(tenant);
    const held = pull.holder !== undefined && pull.expiresAt > now;
    if (held && pull.holder !== holder) return null;
    if (!held) pull.token += 1;
    pull.holder = holder;
    pull.expiresAt = now + ttlMs;
    return pull.token;
  }

  async release(tenant: string, holder: string): Promise<void> {
    const pull = this.tenants.get(tenant);
    if (pull?.holder === holder) pull.holder = undefined;
  }

  async cursor(tenant: string): Promise<number | null> {
    return this.tenants.get(tenant)?.cursor ?? null;
  }

  async start(tenant: string, ledgerId: number, token: number): Promise<PullStart | null> {
    checkLedgerId(ledgerId);
    const pull = this.tenants.get(tenant);
    if (pull?.token !== token) return null;
    if (pull.cursor !== null) return { ledgerId: pull.cursor, created: false };
    pull.cursor = ledgerId;
    return { ledgerId, created: true };
  }

  async advance(tenant: string, ledgerId: number, token: number): Promise<boolean> {
    checkLedgerId(ledgerId);
    const pull = this.tenants.get(tenant);
    if (pull?.token !== token) return false;
    pull.cursor = Math.max(pull.cursor ?? ledgerId, ledgerId);
    return true;
  }

  async close(): Promise<void> {}

  private tenant(tenant: string): TenantPull {
    let pull = this.tenants.get(tenant);
    if (pull === undefined) {
      pull = { holder: undefined, expiresAt: 0, token: 0, cursor: null };
      this.tenants.set(tenant, pull);
    }
    return pull;
  }
}
