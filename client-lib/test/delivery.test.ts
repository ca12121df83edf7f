import type { NormalizedEvent, Ready, Resync } from "@odoo-live/protocol";
import { describe, expect, it, vi } from "vitest";
import { Acker } from "../src/acker.js";
import type { ClientEvents } from "../src/client-events.js";
import { CursorStore } from "../src/cursor-store.js";
import { Delivery } from "../src/delivery.js";
import type { ClientErrorInfo } from "../src/errors.js";
import { Listeners } from "../src/listeners.js";
import type { CursorStorage } from "../src/storage.js";
import { deferred, makeEvent, type Deferred } from "./helpers.js";

const KEY = "k";

/** A storage that logs its writes into the shared log, so their order can be checked. */
function loggingStorage(log: string[]): CursorStorage & { value: string | null } {
  const storage = {
    value: null as string | null,
    get: () => storage.value,
    set: async (_key: string, value: string) => {
      log.push(`set ${value}`);
      storage.value = value;
    },
  };
  return storage;
}

function setup() {
  const log: string[] = [];
  const errors: ClientErrorInfo[] = [];
  const storage = loggingStorage(log);
  const listeners = new Listeners<ClientEvents>();
  const sent: { cursor: string; events?: number | undefined }[] = [];
  const acker = new Acker(
    async (request) => {
      sent.push(request);
      return true;
    },
    { every: 1000, intervalMs: 60_000 },
  );
  const report = (error: ClientErrorInfo) => errors.push(error);
  const cursors = new CursorStore(storage, KEY, report);
  const delivery = new Delivery({ cursors, acker, listeners, report, dedupeSize: 100 });
  const event = (e: NormalizedEvent) => delivery.push({ kind: "event", event: e });
  const ready = (r: Ready) => delivery.push({ kind: "ready", ready: r });
  const resync = (r: Resync) => delivery.push({ kind: "resync", resync: r });
  return { log, errors, storage, listeners, sent, acker, cursors, delivery, event, ready, resync };
}

function readyAt(cursor: string): Ready {
  return {
    tenant: "default",
    uid: 2,
    deviceId: "device-1",
    cursor,
    recovered: true,
    replayed: 0,
    source: "hub",
    models: ["sale.order"],
  };
}

describe("Delivery", () => {
  it("writes an event's cursor only after its async listeners resolved", async () => {
    const t = setup();
    const gates: Deferred<void>[] = [];
    t.listeners.on("event", async (e) => {
      t.log.push(`start ${e.seq}`);
      const gate = deferred();
      gates.push(gate);
      await gate.promise;
      t.log.push(`end ${e.seq}`);
    });
    t.event(makeEvent(1));
    t.event(makeEvent(2));

    await vi.waitFor(() => expect(gates).toHaveLength(1));
    expect(t.storage.value).toBeNull();
    expect(t.cursors.current).toBeNull();
    gates[0]!.resolve();
    await vi.waitFor(() => expect(gates).toHaveLength(2));
    expect(t.storage.value).toBe("c1");
    gates[1]!.resolve();
    await t.delivery.idle();

    expect(t.log).toEqual(["start 1", "end 1", "set c1", "start 2", "end 2", "set c2"]);
    expect(t.cursors.current).toBe("c2");
    expect(t.acker.unacked).toBe(2);
  });

  it("awaits every listener of an event, in registration order", async () => {
    const t = setup();
    t.listeners.on("event", async (e) => {
      await Promise.resolve();
      t.log.push(`first ${e.seq}`);
    });
    t.listeners.on("event", (e) => {
      t.log.push(`second ${e.seq}`);
    });
    t.event(makeEvent(1));
    await t.delivery.idle();
    expect(t.log).toEqual(["first 1", "second 1", "set c1"]);
  });

  it("drops a duplicate id without calling listeners or moving the cursor", async () => {
    const t = setup();
    const seen: number[] = [];
    t.listeners.on("event", (e) => {
      seen.push(e.seq);
    });
    const first = makeEvent(1);
    t.event(first);
    t.event(makeEvent(2));
    t.event({ ...first, seq: 9, cursor: "c9" });
    await t.delivery.idle();
    expect(seen).toEqual([1, 2]);
    expect(t.storage.value).toBe("c2");
    expect(t.acker.unacked).toBe(2);
  });

  it("reports a failing listener as internal and still advances", async () => {
    const t = setup();
    t.listeners.on("event", (e) => {
      if (e.seq === 1) throw new Error("bad record");
    });
    t.event(makeEvent(1));
    t.event(makeEvent(2));
    await t.delivery.idle();
    expect(t.errors).toMatchObject([
      { code: "internal", message: "event listener failed: bad record" },
    ]);
    expect(t.storage.value).toBe("c2");
  });

  it("stores ready.cursor after the replayed events and acks what is unacked", async () => {
    const t = setup();
    const readies: Ready[] = [];
    t.listeners.on("ready", (r) => {
      t.log.push(`ready ${r.cursor}`);
      readies.push(r);
    });
    t.event(makeEvent(1));
    t.ready(readyAt("c5"));
    await t.delivery.idle();
    expect(t.log).toEqual(["set c1", "set c5", "ready c5"]);
    await vi.waitFor(() => expect(t.sent).toEqual([{ cursor: "c5", events: 1 }]));
  });

  it("keeps the last event's cursor when events wait behind ready", async () => {
    const t = setup();
    const gate = deferred();
    t.listeners.on("event", (e) => (e.seq === 1 ? gate.promise : undefined));
    t.event(makeEvent(1));
    t.ready(readyAt("c5"));
    t.event(makeEvent(6));
    gate.resolve();
    await t.delivery.idle();
    expect(t.log).toEqual(["set c1", "set c6"]);
  });

  it("on resync awaits the listeners, stores the new cursor and forgets seen ids", async () => {
    const t = setup();
    const seen: number[] = [];
    t.listeners.on("event", (e) => {
      seen.push(e.seq);
    });
    t.listeners.on("resync", async (r) => {
      await Promise.resolve();
      t.log.push(`reloaded ${r.reason}`);
    });
    const event = makeEvent(1);
    t.event(event);
    t.resync({ reason: "epoch_changed", cursor: "r1" });
    t.event({ ...event, cursor: "r2" });
    await t.delivery.idle();
    expect(t.log).toEqual(["set c1", "reloaded epoch_changed", "set r1", "set r2"]);
    expect(seen).toEqual([1, 1]);
  });

  it("stops taking messages after stop()", async () => {
    const t = setup();
    t.delivery.stop();
    t.event(makeEvent(1));
    await t.delivery.idle();
    expect(t.log).toEqual([]);
  });
});
