import type { Lease } from "./lease.js";

interface Held {
  holder: string;
  token: number;
  expiresAt: number;
}

/** The lease within one process (the embedded hub: its own pollers are the only holders). */
export class MemoryLease implements Lease {
  private readonly held = new Map<string, Held>();
  private readonly tokens = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  acquire(tenant: string, holder: string, ttlMs: number): Promise<number | null> {
    const now = this.now();
    const current = this.held.get(tenant);
    const live = current !== undefined && current.expiresAt > now ? current : undefined;
    if (live !== undefined && live.holder !== holder) return Promise.resolve(null);
    const token = live?.token ?? this.nextToken(tenant);
    this.held.set(tenant, { holder, token, expiresAt: now + ttlMs });
    return Promise.resolve(token);
  }

  release(tenant: string, holder: string): Promise<void> {
    if (this.held.get(tenant)?.holder === holder) this.held.delete(tenant);
    return Promise.resolve();
  }

  private nextToken(tenant: string): number {
    const token = (this.tokens.get(tenant) ?? 0) + 1;
    this.tokens.set(tenant, token);
    return token;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
