/** Timers that all stop at close; a cancelled timer runs its `onCancel` instead. */
export class Timers {
  private readonly pending = new Map<NodeJS.Timeout, (() => void) | undefined>();

  after(ms: number, run: () => void, onCancel?: () => void): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      run();
    }, ms);
    this.pending.set(timer, onCancel);
  }

  cancelAll(): void {
    for (const [timer, onCancel] of this.pending) {
      clearTimeout(timer);
      onCancel?.();
    }
    this.pending.clear();
  }
}
