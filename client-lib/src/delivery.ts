import type { NormalizedEvent, Ready, Resync } from "@odoo-live/protocol";
import type { Acker } from "./acker.js";
import type { ClientEvents } from "./client-events.js";
import type { CursorStore } from "./cursor-store.js";
import { RecentIds } from "./dedupe.js";
import { messageOf, type ClientErrorInfo } from "./errors.js";
import type { Incoming } from "./incoming.js";
import type { Listeners } from "./listeners.js";
import { SerialQueue } from "./queue.js";

export interface DeliveryParts {
  cursors: CursorStore;
  acker: Acker;
  listeners: Listeners<ClientEvents>;
  report: (error: ClientErrorInfo) => void;
  dedupeSize: number;
}

/**
 * Hands server messages to the app one at a time, in arrival order, and stores each cursor only
 * after the app's listeners for that message settled: a crash mid-listener replays the event.
 */
export class Delivery {
  readonly #queue: SerialQueue<Incoming>;
  readonly #recent: RecentIds;
  #stopped = false;

  constructor(private readonly parts: DeliveryParts) {
    this.#recent = new RecentIds(parts.dedupeSize);
    this.#queue = new SerialQueue(
      (item) => this.#process(item),
      (error) => this.#report("delivery failed", error),
    );
  }

  push(item: Incoming): void {
    if (!this.#stopped) this.#queue.push(item);
  }

  /** Drops what is queued (it is replayed on the next connection); the message in hand finishes. */
  stop(): void {
    this.#stopped = true;
    this.#queue.clear();
  }

  idle(): Promise<void> {
    return this.#queue.idle();
  }

  #process(item: Incoming): Promise<void> {
    switch (item.kind) {
      case "event":
        return this.#event(item.event);
      case "ready":
        return this.#ready(item.ready);
      case "resync":
        return this.#resync(item.resync);
    }
  }

  async #event(event: NormalizedEvent): Promise<void> {
    // A duplicate was processed (or is being processed) already: it must not run or move anything.
    if (this.#recent.seen(event.id)) return;
    // A failing listener is reported and the cursor still advances: retrying the same event
    // would most likely fail again and wedge the device behind it forever.
    await this.#callApp("event", event);
    if (await this.parts.cursors.save(event.cursor)) this.parts.acker.processed(event.cursor);
  }

  async #ready(ready: Ready): Promise<void> {
    // ready.cursor is the position after the last replayed event, all of which were queued before
    // it. Events queued behind it carry their own cursors; storing ready.cursor then could move
    // past one of them should the hub ever interleave live events with its replay, so it is kept
    // only when nothing waits.
    const store = this.#queue.waiting === 0 && ready.cursor !== "";
    const stored = store && (await this.parts.cursors.save(ready.cursor));
    this.parts.acker.moved(stored ? ready.cursor : undefined);
    await this.#callApp("ready", ready);
  }

  async #resync(resync: Resync): Promise<void> {
    // The app reloads its state in the listeners; only then is the new position true for it.
    await this.#callApp("resync", resync);
    if (resync.cursor !== "" && (await this.parts.cursors.save(resync.cursor))) {
      this.parts.acker.moved(resync.cursor);
    }
    // After a resync the app's state is fresh: ids seen before it no longer mean "already applied".
    this.#recent.clear();
  }

  async #callApp<K extends "event" | "ready" | "resync">(
    name: K,
    ...args: Parameters<ClientEvents[K]>
  ): Promise<void> {
    const failures = await this.parts.listeners.call(name, ...args);
    for (const failure of failures) this.#report(`${name} listener failed`, failure);
  }

  #report(what: string, error: unknown): void {
    const message = `${what}: ${messageOf(error)}`;
    this.parts.report({ code: "internal", message, fatal: false, cause: error });
  }
}
