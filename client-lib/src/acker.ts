import type { AckRequest } from "@odoo-live/protocol";

export interface AckerOptions {
  /** Ack once this many events were processed since the last attempt. */
  every: number;
  /** Ack at the latest this long after the first event processed since the last attempt. */
  intervalMs: number;
}

/** Sends one ack; resolves false when it was not confirmed (offline, timeout, refused). */
export type SendAck = (request: AckRequest) => Promise<boolean>;

/**
 * Batches acks. Acking each event would cost the hub a sync-state write per event; batching
 * only delays how far the hub believes the device is, and the device's own stored cursor is
 * what it resumes from, so nothing is lost by acking late. A failed ack stays pending and goes
 * out with the next batch.
 */
export class Acker {
  #cursor: string | null = null;
  /** Events processed since the last confirmed ack. */
  #unacked = 0;
  /** Events processed since the last attempt; what a batch is counted by. */
  #sinceAttempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<void> | undefined;
  #stopped = false;

  constructor(
    private readonly send: SendAck,
    private readonly options: AckerOptions,
  ) {}

  get unacked(): number {
    return this.#unacked;
  }

  /** An event was processed and its cursor stored. */
  processed(cursor: string): void {
    if (this.#stopped) return;
    this.#cursor = cursor;
    this.#unacked += 1;
    this.#sinceAttempt += 1;
    if (this.#sinceAttempt >= this.options.every) this.#flushInBackground();
    else this.#startTimer();
  }

  /** The stored cursor moved without an event (ready, resync): ack now if anything is unacked. */
  moved(cursor?: string): void {
    if (this.#stopped || this.#unacked === 0) return;
    if (cursor !== undefined) this.#cursor = cursor;
    this.#flushInBackground();
  }

  /** Sends what is unacked, after any ack already in flight. */
  async flush(): Promise<void> {
    while (this.#inFlight !== undefined) await this.#inFlight;
    if (this.#unacked === 0 || this.#cursor === null) return;
    this.#inFlight = this.#attempt(this.#cursor, this.#unacked).finally(() => {
      this.#inFlight = undefined;
    });
    await this.#inFlight;
  }

  /** No more timers or automatic acks; flush() still works for a final ack. */
  stop(): void {
    this.#stopped = true;
    this.#clearTimer();
  }

  async #attempt(cursor: string, events: number): Promise<void> {
    this.#clearTimer();
    this.#sinceAttempt = 0;
    // A throwing send() counts as unconfirmed, which keeps flush() from ever rejecting.
    const confirmed = await this.send({ cursor, events }).catch(() => false);
    if (confirmed) this.#unacked -= events;
    // Events processed while the ack was in flight form the next batch.
    if (this.#sinceAttempt > 0) this.#startTimer();
  }

  #flushInBackground(): void {
    // flush() never rejects (see #attempt), so there is nothing to handle.
    void this.flush();
  }

  #startTimer(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flushInBackground();
    }, this.options.intervalMs);
  }

  #clearTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
