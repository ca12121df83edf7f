import { messageOf, type ClientErrorInfo } from "./errors.js";
import type { CursorStorage } from "./storage.js";

/**
 * The device's resume cursor: the app's storage plus a synchronous copy for `cursor()`.
 * Storage failures are reported, never thrown: a failed write only means a longer replay next
 * time (the replayed events are dropped as duplicates while their ids are remembered).
 */
export class CursorStore {
  #current: string | null = null;
  /** Set after the hub refused the stored cursor, until a new one is saved. */
  #dropped = false;

  constructor(
    private readonly storage: CursorStorage,
    private readonly key: string,
    private readonly report: (error: ClientErrorInfo) => void,
  ) {}

  get current(): string | null {
    return this.#current;
  }

  /** Reads the stored cursor (for a handshake). */
  async load(): Promise<string | null> {
    if (this.#dropped) return null;
    try {
      this.#current = await this.storage.get(this.key);
    } catch (error) {
      this.#fail("read", error);
    }
    return this.#current;
  }

  /** Resolves false when the write failed (already reported). */
  async save(cursor: string): Promise<boolean> {
    try {
      await this.storage.set(this.key, cursor);
    } catch (error) {
      this.#fail("write", error);
      return false;
    }
    this.#current = cursor;
    this.#dropped = false;
    return true;
  }

  /** Forgets the cursor; handshakes omit it even if the storage cannot delete. */
  async drop(): Promise<void> {
    this.#current = null;
    this.#dropped = true;
    try {
      await this.storage.delete?.(this.key);
    } catch (error) {
      this.#fail("delete", error);
    }
  }

  #fail(operation: string, error: unknown): void {
    const message = `cursor storage ${operation} failed: ${messageOf(error)}`;
    this.report({ code: "internal", message, fatal: false, cause: error });
  }
}
