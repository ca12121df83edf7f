type Listener = (...args: never[]) => unknown;

/** A typed listener registry whose calls await each listener in turn and collect the failures. */
export class Listeners<M extends { [K in keyof M]: Listener }> {
  readonly #sets = new Map<keyof M, Set<Listener>>();

  on<K extends keyof M>(name: K, listener: M[K]): () => void {
    let set = this.#sets.get(name);
    if (set === undefined) {
      set = new Set();
      this.#sets.set(name, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Never rejects: a listener's failure is returned, so one bad listener does not skip the rest. */
  async call<K extends keyof M>(name: K, ...args: Parameters<M[K]>): Promise<unknown[]> {
    const failures: unknown[] = [];
    // A copy, so a listener that unsubscribes (itself or another) does not disturb this call.
    for (const listener of [...(this.#sets.get(name) ?? [])]) {
      try {
        await (listener as (...a: Parameters<M[K]>) => unknown)(...args);
      } catch (error) {
        failures.push(error);
      }
    }
    return failures;
  }
}
