import type { PullCursorStore } from "./pull-cursor-store.js";

export class MemoryPullCursorStore implements PullCursorStore {
  private readonly cursors = new Map<string, number>();

  get(tenant: string): Promise<number | null> {
    return Promise.resolve(this.cursors.get(tenant) ?? null);
  }

  advance(tenant: string, ledgerId: number): Promise<void> {
    if (ledgerId > (this.cursors.get(tenant) ?? -1)) this.cursors.set(tenant, ledgerId);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
