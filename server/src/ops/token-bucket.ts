import { ExpiringMap } from "./expiring-map.js";

export interface Rate {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

/**
 * One token bucket per key (a tenant, an IP), refilled continuously. A bucket left alone until
 * it is full again is the same as none, so it is forgotten then; past `maxKeys` the least
 * recently used go first.
 */
export class TokenBuckets {
  private readonly buckets: ExpiringMap<string, Bucket>;

  constructor(
    private readonly rate: Rate,
    private readonly now: () => number = Date.now,
    maxKeys = 100_000,
  ) {
    const ttlMs = rate.perSecond > 0 ? Math.ceil((1000 * rate.burst) / rate.perSecond) : Infinity;
    this.buckets = new ExpiringMap({ ttlMs, maxEntries: maxKeys, now });
  }

  take(key: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.rate.burst, updated: now };
    bucket.tokens = Math.min(
      this.rate.burst,
      bucket.tokens + ((now - bucket.updated) / 1000) * this.rate.perSecond,
    );
    bucket.updated = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return allowed;
  }
}
