export interface BackoffOptions {
  /** Upper bound of the first delay. */
  minDelayMs: number;
  /** Upper bound of every delay. */
  maxDelayMs: number;
}

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(max, min * 2^attempt)).
 * Full jitter spreads the clients a shut-down hub node drops at once, instead of having them all
 * knock on the next node in lock step. Pure: `random` is a number in [0, 1).
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: number): number {
  // 2^30 already exceeds any sane cap; clamping the exponent keeps the product finite.
  const exponent = Math.min(Math.max(attempt, 0), 30);
  const cap = Math.min(options.maxDelayMs, options.minDelayMs * 2 ** exponent);
  return Math.floor(cap * random);
}
