import { afterEach, describe, expect, it, vi } from "vitest";
import { cursorKey, localStorageStorage, memoryStorage } from "../src/storage.js";

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("cursor storage", () => {
  it("keys the cursor by hub and device", () => {
    expect(cursorKey("http://hub:8080", "laptop-1")).toBe(
      "odoo-live:cursor:http://hub:8080:laptop-1",
    );
  });

  it("memoryStorage keeps, replaces and deletes values", async () => {
    const storage = memoryStorage();
    expect(await storage.get("k")).toBeNull();
    await storage.set("k", "c1");
    await storage.set("k", "c2");
    expect(await storage.get("k")).toBe("c2");
    await storage.delete?.("k");
    expect(await storage.get("k")).toBeNull();
  });

  it("localStorageStorage fails clearly where there is no localStorage", () => {
    vi.stubGlobal("localStorage", undefined);
    expect(() => localStorageStorage()).toThrow(/localStorage is not available/);
  });

  it("localStorageStorage prefixes keys in the browser's storage", async () => {
    const items = new Map<string, string>();
    vi.stubGlobal("localStorage", {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => items.set(key, value),
      removeItem: (key: string) => items.delete(key),
    });
    const storage = localStorageStorage("app:");
    await storage.set("k", "c1");
    expect(items.get("app:k")).toBe("c1");
    expect(await storage.get("k")).toBe("c1");
    await storage.delete?.("k");
    expect(items.size).toBe(0);
  });
});
