/**
 * Actions due at given times (token expiries), kept in a min-heap with one timer for the whole
 * node. `runDue` runs the due ones at once, so a caller that must not act past a deadline (the
 * live dispatch, which must not deliver past a token's `exp`) runs it first, whatever the timer's
 * lateness on a busy event loop.
 */
export class Deadlines {
  private heap: Entry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;

  constructor(private readonly now: () => number = Date.now) {}

  /** Runs `action` at `at` (ms since the epoch) unless cancelled first. */
  add(at: number, action: () => void): () => void {
    const entry: Entry = { at, action, cancelled: false };
    this.push(entry);
    this.arm();
    return () => {
      entry.cancelled = true;
    };
  }

  runDue(): void {
    const now = this.now();
    for (let top = this.heap[0]; top !== undefined && top.at <= now; top = this.heap[0]) {
      this.pop();
      if (!top.cancelled) top.action();
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

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as Entry).at <= entry.at) break;
      heap[i] = heap[parent] as Entry;
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
      if ((heap[left]?.at ?? Infinity) < (heap[smallest] as Entry).at) smallest = left;
      if ((heap[right]?.at ?? Infinity) < (heap[smallest] as Entry).at) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest] as Entry, heap[i] as Entry];
      i = smallest;
    }
  }
}

interface Entry {
  at: number;
  action: () => void;
  cancelled: boolean;
}
