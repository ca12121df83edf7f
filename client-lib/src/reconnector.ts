import { backoffDelay, type BackoffOptions } from "@odoo-live/protocol";

/**
 * Schedules reconnects the socket will not make by itself: after the hub refused the handshake
 * or disconnected the socket on purpose (a node shutting down, so clients move to another one).
 */
export class Reconnector {
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** Runs `action` after the next backoff delay, replacing any reconnect already scheduled. */
  schedule(action: () => void): number {
    this.cancel();
    const delay = backoffDelay(this.#attempt, this.options, this.random());
    this.#attempt += 1;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      action();
    }, delay);
    return delay;
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** After a connection that worked, the next failure starts from the shortest delay again. */
  reset(): void {
    this.#attempt = 0;
  }
}
