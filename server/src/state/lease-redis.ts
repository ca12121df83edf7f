import { checkedPrefix, readLua, type RedisClient } from "../ops/redis-scripts.js";
import type { Lease } from "./lease.js";

export interface RedisLeaseOptions {
  /** Prepended to every key (default `odoo-live:`); tests pass a unique one. No braces. */
  prefix?: string | undefined;
}

/** The commands `defineCommand` adds: `lease-redis-acquire.lua` and `lease-redis-release.lua`. */
interface LeaseCommands {
  leaseAcquire(lease: string, counter: string, holder: string, ttlMs: string): Promise<unknown>;
  leaseRelease(lease: string, holder: string): Promise<unknown>;
}

/**
 * The pull lease shared by every hub node: per tenant a hash `{holder, token}` that expires with
 * the lease, and a fencing counter that never does (see `leaseKeys`). Redis expires the key, so
 * a dead holder's lease ends after its TTL whatever the clocks of the nodes say.
 *
 * The lease borrows its connection: `close()` leaves it open, and whoever created it quits it.
 */
export class RedisLease implements Lease {
  private constructor(
    private readonly redis: RedisClient & LeaseCommands,
    private readonly prefix: string,
  ) {}

  static create(redis: RedisClient, options: RedisLeaseOptions = {}): RedisLease {
    const prefix = checkedPrefix(options.prefix ?? "odoo-live:");
    redis.defineCommand("leaseAcquire", {
      numberOfKeys: 2,
      lua: readLua("state", "lease-redis-acquire.lua"),
    });
    redis.defineCommand("leaseRelease", {
      numberOfKeys: 1,
      lua: readLua("state", "lease-redis-release.lua"),
    });
    // defineCommand adds the methods at run time; LeaseCommands names what it added.
    return new RedisLease(redis as RedisClient & LeaseCommands, prefix);
  }

  async acquire(tenant: string, holder: string, ttlMs: number): Promise<number | null> {
    if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
      throw new RangeError(`lease ttl must be a positive integer of ms, got ${ttlMs}`);
    const { lease, counter } = leaseKeys(this.prefix, tenant);
    const token = await this.redis.leaseAcquire(lease, counter, holder, String(ttlMs));
    return token === null ? null : Number(token);
  }

  async release(tenant: string, holder: string): Promise<void> {
    await this.redis.leaseRelease(leaseKeys(this.prefix, tenant).lease, holder);
  }

  /** The connection is the caller's to close (see the class comment). */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** `${prefix}{tenant}:pull-lease` and `…:pull-lease-token`, hash-tagged by the encoded tenant. */
export function leaseKeys(prefix: string, tenant: string): { lease: string; counter: string } {
  const base = `${prefix}{${encodeURIComponent(tenant)}}:pull-lease`;
  return { lease: base, counter: `${base}-token` };
}
