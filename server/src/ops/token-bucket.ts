import { ExpiringMap } from "./expiring-map.js";

export interface Rate {
  perSecond: number;
  burst: number;
}

export interface Bucket {
  tokens: number;
  updated: number;
}

/** A bucket for a key not seen (or forgotten): full. */
export function fullBucket(rate: Rate, now: number): Bucket {
  return { tokens: rate.burst, updated: now };
}

/** Adds the tokens earned since the bucket was last updated, up to its burst. */
export function refill(bucket: Bucket, rate: Rate, now: number): void {
  bucket.tokens = Math.min(
    rate.burst,
    bucket.tokens + ((now - bucket.updated) / 1000) * rate.perSecond,
  );
  bucket.updated = now;
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
    const bucket = this.buckets.get(key) ?? fullBucket(this.rate, now);
    refill(bucket, this.rate, now);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return allowed;
  }
}
