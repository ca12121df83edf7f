import { ExpiringMap } from "./expiring-map.js";
import type { Logger } from "./logger.js";
import { fullBucket, refill, type Bucket, type Rate } from "./token-bucket.js";

/** Lines per second a key may sustain, and its burst. */
export type ThrottleRate = Rate;

interface LineBucket extends Bucket {
  /** Lines left out since the last one written. */
  suppressed: number;
}

/** A key quiet this long starts again with a full bucket (and its suppressed count is dropped). */
const FORGET_MS = 10 * 60_000;
const MAX_KEYS = 10_000;

/**
 * Log lines that a client can make repeat (refused pushes and handshakes, resyncs), rate limited:
 * a token bucket per message and key, where the key tells the line's repeats apart (a tenant and
 * a status, say; never something a client chooses freely, so the keys stay few). A line over its
 * bucket is counted instead of written, and the next line written for the same message and key
 * carries how many were left out as `suppressed`.
 */
export class ThrottledLog {
  private readonly buckets: ExpiringMap<string, LineBucket>;

  constructor(
    private readonly logger: Logger,
    private readonly rate: ThrottleRate,
    /** Told the message of each line left out (a counter). */
    private readonly onSuppressed: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.buckets = new ExpiringMap({ ttlMs: FORGET_MS, maxEntries: MAX_KEYS, now });
  }

  info(key: string, fields: object, message: string): void {
    this.write("info", key, fields, message);
  }

  warn(key: string, fields: object, message: string): void {
    this.write("warn", key, fields, message);
  }

  /** The hub's own failures that come once per request while a store is away (Redis down). */
  error(key: string, fields: object, message: string): void {
    this.write("error", key, fields, message);
  }

  private write(level: "info" | "warn" | "error", key: string, fields: object, message: string) {
    const extra = this.admit(message, key);
    if (extra !== undefined) this.logger[level]({ ...fields, ...extra }, message);
  }

  /**
   * Whether a line may be written now: the fields to add to it (`suppressed` when lines were
   * left out before it), or undefined when this one is left out.
   */
  private admit(line: string, key: string): { suppressed?: number } | undefined {
    const now = this.now();
    const id = `${line}\u0000${key}`;
    const bucket = this.buckets.get(id) ?? { ...fullBucket(this.rate, now), suppressed: 0 };
    refill(bucket, this.rate, now);
    this.buckets.set(id, bucket);
    if (bucket.tokens < 1) {
      bucket.suppressed++;
      this.onSuppressed(line);
      return undefined;
    }
    bucket.tokens -= 1;
    const suppressed = bucket.suppressed;
    bucket.suppressed = 0;
    return suppressed === 0 ? {} : { suppressed };
  }
}
