/**
 * Processes items strictly one at a time, in push order, each fully awaited before the next
 * starts. This is what keeps app handlers and cursor writes in the tenant's order.
 */
export class SerialQueue<T extends object> {
  readonly #items: T[] = [];
  readonly #idleWaiters: (() => void)[] = [];
  #running = false;

  constructor(
    private readonly process: (item: T) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  push(item: T): void {
    this.#items.push(item);
    if (this.#running) return;
    this.#running = true;
    // The drain loop catches every failure itself and reports it through onError.
    void this.#drain();
  }

  /** Items pushed but not yet started. */
  get waiting(): number {
    return this.#items.length;
  }

  /** Drops the items not yet started; the one in progress finishes. */
  clear(): void {
    this.#items.length = 0;
  }

  /** Resolves once nothing is queued or in progress. */
  idle(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #drain(): Promise<void> {
    for (let item = this.#items.shift(); item !== undefined; item = this.#items.shift()) {
      try {
        await this.process(item);
      } catch (error) {
        this.onError(error);
      }
    }
    this.#running = false;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
