import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import type { RedisClient } from "./redis-scripts.js";

/** `points` per key per window of `windowS` seconds. */
export interface LimitRate {
  points: number;
  windowS: number;
}

export type Verdict = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Fixed-window limits per key (an address), on `rate-limiter-flexible`: in memory for the
 * embedded hub, in Redis when hubs share one (so every node counts against the same limit), with
 * a per-node fallback while Redis is away. Its keys are bounded by the window: each one expires
 * with it.
 */
export class Limiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(name: string, rate: LimitRate, redis?: { client: RedisClient; prefix: string }) {
    const options = { points: rate.points, duration: rate.windowS, keyPrefix: name };
    this.limiter =
      redis === undefined
        ? new RateLimiterMemory(options)
        : new RateLimiterRedis({
            ...options,
            storeClient: redis.client,
            keyPrefix: `${redis.prefix}limit:${name}`,
            insuranceLimiter: new RateLimiterMemory(options),
          });
  }

  /** Takes one point for `key`. */
  take(key: string): Promise<Verdict> {
    return this.limiter.consume(key).then(
      () => ({ ok: true }),
      (refusal: unknown) => refused(refusal),
    );
  }

  /** Gives back a point taken for `key` (an attempt that turned out not to count). */
  async refund(key: string): Promise<void> {
    // A store that failed already let the attempt through (see `refused`): nothing to give back.
    await this.limiter.reward(key, 1).catch(() => undefined);
  }

  /** Whether `key` still has a point, without taking it. */
  async check(key: string): Promise<Verdict> {
    const state = await this.limiter.get(key).catch(() => null);
    if (state === null || state.remainingPoints > 0) return { ok: true };
    return { ok: false, retryAfterMs: state.msBeforeNext };
  }
}

function refused(refusal: unknown): Verdict {
  if (refusal instanceof RateLimiterRes) return { ok: false, retryAfterMs: refusal.msBeforeNext };
  // The store failed and so did the fallback: refusing everyone would turn a Redis fault into
  // an outage, so the request goes through.
  return { ok: true };
}
