/** A run's answer for one item that failed on its own: its caller is rejected with `error`. */
export class ItemFailure {
  constructor(readonly error: unknown) {}
}

/** A call refused because too many items already wait for its key: the store is falling behind. */
export class Overloaded extends Error {}

interface Waiting<I, R> {
  items: readonly I[];
  resolve: (results: R[]) => void;
  reject: (error: unknown) => void;
}

/** The calls of one key not yet taken by a run, and how many items they hold. */
interface Queue<I, R> {
  calls: Waiting<I, R>[];
  items: number;
  /** Set while an idle key's first call lingers for company (see `lingerMs`). */
  lingering?: NodeJS.Timeout | undefined;
  /** Settles once the queue's runs are done (set when they start). */
  drained?: Promise<void>;
}

export interface GroupCommitOptions {
  /** Most items one run takes; a larger call runs alone. */
  maxBatch: number;
  /** Most items queued for a key (default 10 × maxBatch); past it a call is `Overloaded`. */
  maxWaiting?: number;
  /**
   * How long an idle key's first call waits for others to run with (default 0: it runs at once).
   * Merging only calls that meet a run in progress leaves sparse ones alone: calls that come a
   * few per round trip each pay a run of their own. A queue that reaches `maxBatch` runs early.
   */
  lingerMs?: number;
}

/**
 * Group commit: calls for one key run one at a time, in the order they came, and the calls that
 * arrive while one runs are merged into the next run (whole calls, up to `maxBatch` items; a
 * larger call runs alone). A run's cost that does not grow with its items (a Redis script's
 * round trip, its expiry and trimming reads, its publication) is then paid once per burst, not
 * once per call, and nothing waits for a batch to fill: an idle key runs a call at once, or
 * after `lingerMs` when that is set.
 * `run` answers one result per item, in order; each caller gets its own items' results, or the
 * run's error, or an ItemFailure's of one of its items (one item's failure is not the others').
 * Holds a queue only for a key with calls waiting or running, and at most `maxWaiting` items in
 * it: past that (the store stalls while calls keep coming) a call is refused at once rather than
 * queued without end. (A single call of more than `maxWaiting` items runs on an idle key and is
 * refused on a busy one; the callers' calls are far smaller: a pulled page, one ack.)
 */
export class GroupCommit<I, R> {
  private readonly queues = new Map<string, Queue<I, R>>();
  private readonly maxBatch: number;
  private readonly maxWaiting: number;
  private readonly lingerMs: number;

  constructor(
    private readonly run: (key: string, items: readonly I[]) => Promise<(R | ItemFailure)[]>,
    options: GroupCommitOptions,
  ) {
    this.maxBatch = options.maxBatch;
    this.maxWaiting = options.maxWaiting ?? 10 * options.maxBatch;
    this.lingerMs = options.lingerMs ?? 0;
  }

  submit(key: string, items: readonly I[]): Promise<R[]> {
    return new Promise((resolve, reject) => {
      const waiting = { items, resolve, reject };
      const queue = this.queues.get(key);
      if (queue === undefined) {
        const started: Queue<I, R> = { calls: [waiting], items: items.length };
        this.queues.set(key, started);
        if (this.lingerMs === 0 || items.length >= this.maxBatch) {
          started.drained = this.drain(key, started);
          return;
        }
        started.lingering = setTimeout(() => this.endLinger(key, started), this.lingerMs);
        return;
      }
      if (queue.items + items.length > this.maxWaiting) {
        const why = `${queue.items} items already wait for ${key}`;
        return reject(new Overloaded(`too many calls waiting: ${why}`));
      }
      queue.calls.push(waiting);
      queue.items += items.length;
      if (queue.lingering !== undefined && queue.items >= this.maxBatch) this.endLinger(key, queue);
    });
  }

  /** Runs what lingers now, and settles once every call submitted so far has its answer. */
  async flush(): Promise<void> {
    const queues = [...this.queues];
    for (const [key, queue] of queues)
      if (queue.lingering !== undefined) this.endLinger(key, queue);
    // Every queue has started its runs by now.
    await Promise.all(queues.flatMap(([, queue]) => queue.drained ?? []));
  }

  private endLinger(key: string, queue: Queue<I, R>): void {
    clearTimeout(queue.lingering);
    queue.lingering = undefined;
    queue.drained = this.drain(key, queue);
  }

  private async drain(key: string, queue: Queue<I, R>): Promise<void> {
    try {
      while (queue.calls.length > 0) {
        const taken = [queue.calls.shift()!];
        let size = taken[0]!.items.length;
        while (queue.calls.length > 0 && size + queue.calls[0]!.items.length <= this.maxBatch) {
          const next = queue.calls.shift()!;
          taken.push(next);
          size += next.items.length;
        }
        queue.items -= size;
        await this.runTaken(key, taken);
      }
    } catch (error) {
      // Not expected (runTaken settles its calls); without it the key's queue would stay behind,
      // and every later call for the key would wait on a run that never comes.
      for (const waiting of queue.calls) waiting.reject(error);
    } finally {
      this.queues.delete(key);
    }
  }

  private async runTaken(key: string, taken: Waiting<I, R>[]): Promise<void> {
    const items = taken.length === 1 ? taken[0]!.items : taken.flatMap((w) => w.items);
    let results: (R | ItemFailure)[];
    try {
      results = await this.run(key, items);
      if (results.length !== items.length) {
        throw new Error(
          `a group commit answered ${results.length} results for ${items.length} items`,
        );
      }
    } catch (error) {
      for (const waiting of taken) waiting.reject(error);
      return;
    }
    let at = 0;
    for (const waiting of taken) {
      const own = results.slice(at, at + waiting.items.length);
      at += waiting.items.length;
      const failed = own.find((result) => result instanceof ItemFailure);
      if (failed !== undefined) waiting.reject(failed.error);
      else waiting.resolve(own as R[]);
    }
  }
}
