/**
 * Actions due at given times (token expiries), kept in a min-heap with one timer for the whole
 * node. `runDue` runs the due ones at once, so a caller that must not act past a deadline (the
 * live dispatch, which must not deliver past a token's `exp`) runs it first, whatever the timer's
 * lateness on a busy event loop.
 */
export class Deadlines {
  private heap: Deadline[] = [];
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;

  constructor(private readonly now: () => number = Date.now) {}

  /** Calls `target.due(at)` at `at` (ms since the epoch) unless cancelled first. */
  add(at: number, target: Due): Deadline {
    const deadline = new Deadline(at, target);
    this.push(deadline);
    this.arm();
    return deadline;
  }

  runDue(): void {
    const now = this.now();
    for (let top = this.heap[0]; top !== undefined && top.at <= now; top = this.heap[0]) {
      this.pop();
      if (!top.cancelled) top.target.due(top.at);
    }
    this.arm();
  }

  get size(): number {
    return this.heap.length;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.heap = [];
  }

  private arm(): void {
    while (this.heap[0]?.cancelled === true) this.pop();
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

/** One deadline: cancelled, it stays in the heap until its turn and is then dropped. */
export class Deadline {
  cancelled = false;

  constructor(
    readonly at: number,
    readonly target: Due,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }
}
