export interface Rate {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  updated: number;
}

/** One token bucket per key (a tenant, an IP), refilled continuously. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly rate: Rate,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

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
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    this.evict();
    return allowed;
  }

  /** Forget the least recently used keys so a flood of distinct keys cannot grow memory. */
  private evict(): void {
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) return;
      this.buckets.delete(key);
    }
  }
}
