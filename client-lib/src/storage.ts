/** Where the client keeps its resume cursor; may be synchronous or asynchronous. */
export interface CursorStorage {
  get(key: string): string | null | Promise<string | null>;
  set(key: string, value: string): void | Promise<void>;
  delete?(key: string): void | Promise<void>;
}

/** One cursor per hub and device, so two hubs or two devices in one browser never collide. */
export function cursorKey(url: string, deviceId: string): string {
  return `odoo-live:cursor:${url}:${deviceId}`;
}

/** Lives as long as the process: after a restart the hub resumes from the device's acked cursor. */
export function memoryStorage(): CursorStorage {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key) ?? null,
    set: (key, value) => {
      values.set(key, value);
    },
    delete: (key) => {
      values.delete(key);
    },
  };
}

/** The subset of the DOM Storage interface used here; the DOM lib is not in this build. */
interface WebStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * The browser's `localStorage`. Looked up when called, not at import, so importing the package in
 * Node works; calling it where there is no usable `localStorage` throws.
 */
export function localStorageStorage(prefix = ""): CursorStorage {
  const store = findLocalStorage();
  if (store === undefined) throw new Error("localStorage is not available in this environment");
  return {
    get: (key) => store.getItem(prefix + key),
    set: (key, value) => store.setItem(prefix + key, value),
    delete: (key) => store.removeItem(prefix + key),
  };
}

function findLocalStorage(): WebStorage | undefined {
  try {
    // Reading the property itself throws in sandboxed iframes and some privacy modes.
    return (globalThis as { localStorage?: WebStorage }).localStorage;
  } catch {
    return undefined;
  }
}
