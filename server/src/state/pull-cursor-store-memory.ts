import type { PullCursorStore } from "./pull-cursor-store.js";

export class MemoryPullCursorStore implements PullCursorStore {
  private readonly cursors = new Map<string, number>();
  private readonly fences = new Map<string, number>();

  get(tenant: string): Promise<number | null> {
    return Promise.resolve(this.cursors.get(tenant) ?? null);
  }

  advance(tenant: string, ledgerId: number, token?: number): Promise<boolean> {
    if (token !== undefined) {
      if (token < (this.fences.get(tenant) ?? -Infinity)) return Promise.resolve(false);
      this.fences.set(tenant, token);
    }
    if (ledgerId > (this.cursors.get(tenant) ?? -1)) this.cursors.set(tenant, ledgerId);
    return Promise.resolve(true);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
