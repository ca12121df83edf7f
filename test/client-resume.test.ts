/**
 * Resume through the client library, against a real hub: what app code sees is every event it
 * would have seen had it stayed connected, in order, once.
 */
import {
  connect,
  memoryStorage,
  type ClientErrorInfo,
  type CursorStorage,
  type OdooLiveClient,
} from "@odoo-live/client";
import type { NormalizedEvent, Resync } from "@odoo-live/protocol";
import { MemoryEventLog, type Hub } from "@odoo-live/server";
import { afterEach, describe, expect, it } from "vitest";
import { GatedLog } from "./helpers/gated-log.js";
import { mintToken, startTestHub } from "./helpers/hub.js";
import { waitFor } from "./helpers/wait.js";
import { nameRange, pushNamed } from "./helpers/changes.js";

const clients: OdooLiveClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
});

async function pushRange(hub: Hub, from: number, to: number): Promise<void> {
  expect(await pushNamed(hub, nameRange(from, to))).toEqual(Array(to - from).fill(200));
}

/** An app: records what its handler saw, and what resyncs it was told about. */
function app(hub: Hub, storage: CursorStorage) {
  const seen: NormalizedEvent[] = [];
  const resyncs: Resync[] = [];
  const drops: string[] = [];
  const client = connect({
    url: hub.url,
    token: mintToken({ uid: 9 }),
    deviceId: "tablet-1",
    models: ["sale.order"],
    storage,
    ackIntervalMs: 50,
    reconnect: { minDelayMs: 10, maxDelayMs: 50 },
  });
  clients.push(client);
  client.on("event", (event) => void seen.push(event));
  client.on("resync", (resync) => void resyncs.push(resync));
  client.on("disconnect", (reason) => void drops.push(reason));
  const errors: ClientErrorInfo[] = [];
  client.on("error", (error) => void errors.push(error));
  const ready = new Promise<void>((resolve) => client.on("ready", () => resolve()));
  return { client, seen, resyncs, drops, errors, ready };
}

function names(events: NormalizedEvent[]): unknown[] {
  return events.map((e) => e.record["name"]);
}

describe("client library resume", () => {
  it("a device offline while N events arrive gets exactly those N, in order, on reconnect", async () => {
    const hub = await startTestHub();
    const storage = memoryStorage();
    const first = app(hub, storage);
    await first.ready;
    await pushRange(hub, 0, 3);
    await waitFor(() => first.seen.length === 3, { what: "live events" });
    await first.client.close();

    await pushRange(hub, 3, 23);
    const second = app(hub, storage);
    await waitFor(() => second.seen.length === 20, { what: "the 20 missed events" });
    expect(names(second.seen)).toEqual(nameRange(3, 23));
    await pushRange(hub, 23, 24);
    await waitFor(() => second.seen.length === 21, { what: "a live event" });
    expect(names(second.seen)).toEqual(nameRange(3, 24));
  });

  it("includes events pushed while its replay is running, once each", async () => {
    const log = new GatedLog(
      new MemoryEventLog({ retention: { maxCount: 1000, maxAgeMs: 60_000 }, dedupeMs: 60_000 }),
    );
    const hub = await startTestHub({}, { log });
    const storage = memoryStorage();
    const first = app(hub, storage);
    await first.ready;
    await first.client.close();
    await pushRange(hub, 0, 10);
    const gate = log.holdNextRead("after");
    const second = app(hub, storage);
    await gate.reached;
    await pushRange(hub, 10, 15);
    gate.release();
    await second.ready;
    await waitFor(() => second.seen.length >= 15, { what: "15 events" });
    expect(names(second.seen)).toEqual(nameRange(0, 15));
  });

  it("through a flaky network, the app sees every event once and in order", async () => {
    const hub = await startTestHub();
    const device = app(hub, memoryStorage());
    await device.ready;
    for (let batch = 0; batch < 10; batch++) {
      const pushing = pushRange(hub, batch * 20, batch * 20 + 20);
      // Drop every connection mid-batch, as a flaky mobile network does.
      for (const socket of await hub.io.fetchSockets()) socket.disconnect(true);
      await pushing;
    }
    await waitFor(() => device.seen.length >= 200, { timeoutMs: 15_000, what: "200 events" });
    expect(names(device.seen)).toEqual(nameRange(0, 200));
    expect(device.drops.length).toBeGreaterThanOrEqual(5);
  });

  it("a device past the retention gets resync, then continues live from its cursor", async () => {
    const hub = await startTestHub({ HUB_RETENTION_COUNT: "5" });
    const storage = memoryStorage();
    const first = app(hub, storage);
    await first.ready;
    await pushRange(hub, 0, 1);
    await waitFor(() => first.seen.length === 1, { what: "an event" });
    await first.client.close();
    await pushRange(hub, 1, 11);
    const second = app(hub, storage);
    await second.ready;
    expect(second.resyncs.map((r) => r.reason)).toEqual(["cursor_expired"]);
    expect(second.seen).toEqual([]);
    await pushRange(hub, 11, 12);
    await waitFor(() => second.seen.length === 1, { what: "a live event" });
    expect(names(second.seen)).toEqual(["S11"]);
  });

  it("a device whose hub restarted (new epoch) gets resync", async () => {
    const before = await startTestHub();
    const storage = memoryStorage();
    const first = app(before, storage);
    await first.ready;
    await pushRange(before, 0, 1);
    await waitFor(() => first.seen.length === 1, { what: "an event" });
    await first.client.close();
    await before.close();
    const after = await startTestHub({ PORT: String(before.port) });
    const second = app(after, storage);
    await second.ready;
    expect(second.resyncs.map((r) => r.reason)).toEqual(["epoch_changed"]);
  });

  it("a client whose session another connection of its device took over stops, and says why", async () => {
    const hub = await startTestHub();
    const first = app(hub, memoryStorage());
    await first.ready;
    const second = app(hub, memoryStorage());
    await second.ready;
    await waitFor(() => first.errors.length === 1 && !first.client.connected, {
      what: "the replaced client to stop",
    });
    expect(first.errors[0]).toMatchObject({ code: "session_replaced", fatal: true });
    await pushRange(hub, 0, 2);
    await waitFor(() => second.seen.length === 2, { what: "events on the new session" });
    expect(first.seen).toEqual([]);
    expect(first.client.connected).toBe(false);
  });
});
