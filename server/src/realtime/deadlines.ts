/**
 * Actions due at given times (token expiries), kept in a min-heap with one timer for the whole
 * node. `runDue` runs the due ones at once, so a caller that must not act past a deadline (the
 * live dispatch, which must not deliver past a token's `exp`) runs it first, whatever the timer's
 * lateness on a busy event loop.
 */
export class Deadlines {
  private heap: Deadline[] = [];
  /** Cancelled deadlines still in the heap (each is dropped at its turn, or by a sweep). */
  private cancelled = 0;
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;

  constructor(private readonly now: () => number = Date.now) {}

  /** Calls `target.due(at)` at `at` (ms since the epoch) unless cancelled first. */
  add(at: number, target: Due): Deadline {
    const deadline = new Deadline(at, target, this);
    this.push(deadline);
    this.arm();
    return deadline;
  }

  runDue(): void {
    const now = this.now();
    for (let top = this.heap[0]; top !== undefined && top.at <= now; top = this.heap[0]) {
      this.pop();
      const target = top.take();
      if (target === undefined) this.cancelled--;
      else target.due(top.at);
    }
    this.arm();
  }

  /**
   * A deadline was cancelled (Deadline.cancel calls it). A session that ends cancels its token's
   * deadline, which may be an hour away: once most of the heap is cancelled, a sweep drops them,
   * so reconnect storms do not grow it with dead entries.
   */
  noteCancelled(): void {
    this.cancelled++;
    if (this.cancelled < 1024 || this.cancelled * 2 < this.heap.length) return;
    // An array sorted by time is a valid min-heap.
    this.heap = this.heap.filter((d) => d.target !== undefined).sort((a, b) => a.at - b.at);
    this.cancelled = 0;
  }

  get size(): number {
    return this.heap.length;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.heap = [];
    this.cancelled = 0;
  }

  private arm(): void {
    while (this.heap[0] !== undefined && this.heap[0].target === undefined) {
      this.pop();
      this.cancelled--;
    }
    const next = this.heap[0]?.at ?? Infinity;
    if (next === this.armedFor) return;
    clearTimeout(this.timer);
    this.armedFor = next;
    if (next === Infinity) return;
    // Timers hold at most 2^31-1 ms; a later deadline re-arms when this one fires.
    const delay = Math.min(Math.max(0, next - this.now()), 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      this.armedFor = Infinity;
      this.runDue();
    }, delay);
    this.timer.unref();
  }

  private push(entry: Deadline): void {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as Deadline).at <= entry.at) break;
      heap[i] = heap[parent] as Deadline;
      heap[parent] = entry;
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    for (let i = 0; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if ((heap[left]?.at ?? Infinity) < (heap[smallest] as Deadline).at) smallest = left;
      if ((heap[right]?.at ?? Infinity) < (heap[smallest] as Deadline).at) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest] as Deadline, heap[i] as Deadline];
      i = smallest;
    }
  }
}

/**
 * What a deadline calls: an object with a method rather than a closure, so that the node's
 * deadlines (one armed per connected device) cost no closures of their own.
 */
export interface Due {
  due(at: number): void;
}

/**
 * One deadline. Cancelled, it lets go of its target (a closed session is not kept alive by it)
 * and stays in the heap until its turn or the next sweep.
 */
export class Deadline {
  constructor(
    readonly at: number,
    private due: Due | undefined,
    private readonly owner: Deadlines,
  ) {}

  /** Undefined once cancelled or run. */
  get target(): Due | undefined {
    return this.due;
  }

  /** Its target, for running it once (Deadlines.runDue); a later cancel does nothing. */
  take(): Due | undefined {
    const due = this.due;
    this.due = undefined;
    return due;
  }

  cancel(): void {
    if (this.due === undefined) return;
    this.due = undefined;
    this.owner.noteCancelled();
  }
}
