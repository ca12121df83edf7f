import { MemoryEventLog, type Hub } from "@odoo-live/server";
import { describe, expect, it } from "vitest";
import { GatedLog } from "./helpers/gated-log.js";
import {
  connectRaw,
  connectReady,
  mintToken,
  startTestHub,
  type RecordingSocket,
} from "./helpers/hub.js";
import { waitFor } from "./helpers/wait.js";
import { nameRange, pushNamed } from "./helpers/changes.js";
import { expectSessionReplaced } from "./helpers/cross-node.js";

/** Pushes S<from> … S<from + count - 1>, each accepted. */
async function pushChanges(hub: Hub, from: number, count: number) {
  expect(await pushNamed(hub, nameRange(from, from + count))).toEqual(Array(count).fill(200));
}

const device = {
  token: mintToken({ uid: 9, models: "*" }),
  deviceId: "tablet-1",
  models: ["sale.order"],
};

function names(client: RecordingSocket): unknown[] {
  return client.events.map((e) => e.record["name"]);
}

function expectOrderedOnce(client: RecordingSocket) {
  const seqs = client.events.map((e) => e.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(client.events.map((e) => e.id)).size).toBe(client.events.length);
}

describe("resume", () => {
  it("replays exactly what a device missed, in order, then goes live", async () => {
    const hub = await startTestHub();
    const first = await connectReady(hub, device);
    await pushChanges(hub, 0, 2);
    await waitFor(() => first.events.length === 2, { what: "live events" });
    const cursor = first.events[1]?.cursor;
    first.socket.disconnect();
    await pushChanges(hub, 2, 5);
    const second = await connectReady(hub, { ...device, cursor });
    expect(names(second)).toEqual(["S2", "S3", "S4", "S5", "S6"]);
    expect(second.ready[0]).toMatchObject({
      recovered: true,
      replayed: 5,
      source: "hub",
      cursor: second.events[4]?.cursor,
    });
    expect(second.log.map(([name]) => name)).toEqual([
      "event",
      "event",
      "event",
      "event",
      "event",
      "ready",
    ]);
    await pushChanges(hub, 7, 1);
    await waitFor(() => second.events.length === 6, { what: "live event after ready" });
    expect(second.events[5]?.record["name"]).toBe("S7");
  });

  for (const mode of ["before", "after"] as const) {
    it(`neither loses nor repeats events pushed while the replay is running (read held ${mode} it looks)`, async () => {
      const log = new GatedLog(
        new MemoryEventLog({ retention: { maxCount: 1000, maxAgeMs: 60_000 }, dedupeMs: 60_000 }),
      );
      const hub = await startTestHub({}, { log });
      const first = await connectReady(hub, device);
      const start = first.ready[0]?.cursor;
      first.socket.disconnect();
      await pushChanges(hub, 0, 3);
      const gate = log.holdNextRead(mode);
      const second = connectRaw(hub, { ...device, cursor: start });
      await gate.reached;
      await pushChanges(hub, 3, 2);
      gate.release();
      await waitFor(() => second.ready.length === 1, { what: "ready" });
      expect(names(second)).toEqual(["S0", "S1", "S2", "S3", "S4"]);
      expectOrderedOnce(second);
      expect(second.ready[0]?.replayed).toBe(mode === "before" ? 5 : 3);
      expect(second.ready[0]?.cursor).toBe(second.events[4]?.cursor);
      await pushChanges(hub, 5, 1);
      await waitFor(() => second.events.length === 6, { what: "live event after ready" });
      expectOrderedOnce(second);
    });
  }

  it("resumes from the stored sync state when the handshake has no cursor", async () => {
    const hub = await startTestHub();
    const first = await connectReady(hub, device);
    await pushChanges(hub, 0, 3);
    await waitFor(() => first.events.length === 3, { what: "live events" });
    const reply = await first.socket.emitWithAck("ack", {
      cursor: first.events[1]?.cursor,
      events: 2,
    });
    expect(reply).toEqual({ ok: true, cursor: first.events[1]?.cursor });
    first.socket.disconnect();
    const second = await connectReady(hub, { token: device.token, deviceId: device.deviceId });
    expect(names(second)).toEqual(["S2"]);
    expect(second.ready[0]).toMatchObject({
      recovered: true,
      source: "hub",
      models: ["sale.order"],
    });
  });

  it("keeps an offline device's subscriptions and replays their events", async () => {
    const hub = await startTestHub();
    const token = mintToken({ uid: 11, models: "*" });
    const first = await connectReady(hub, { token, deviceId: "desk-1" });
    expect(await first.socket.emitWithAck("subscribe", { models: ["sale.order"] })).toEqual({
      ok: true,
      models: ["sale.order"],
    });
    const cursor = first.ready[0]?.cursor;
    first.socket.disconnect();
    await pushChanges(hub, 0, 2);
    const second = await connectReady(hub, { token, deviceId: "desk-1", cursor });
    expect(names(second)).toEqual(["S0", "S1"]);
  });

  it("sends resync when the cursor is older than the retention", async () => {
    const hub = await startTestHub({ HUB_RETENTION_COUNT: "3" });
    const first = await connectReady(hub, device);
    const cursor = first.ready[0]?.cursor;
    first.socket.disconnect();
    await pushChanges(hub, 0, 5);
    const second = await connectReady(hub, { ...device, cursor });
    const head = (await hub.log.head("default")).seq;
    expect(second.resyncs).toEqual([
      {
        reason: "cursor_expired",
        cursor: expect.stringMatching(new RegExp(`-${head}$`)) as string,
      },
    ]);
    expect(second.events).toEqual([]);
    expect(second.ready[0]).toMatchObject({
      recovered: false,
      replayed: 0,
      source: "none",
      cursor: second.resyncs[0]?.cursor,
    });
    expect(second.log.map(([name]) => name)).toEqual(["resync", "ready"]);
  });

  it("sends resync for a cursor of another epoch (the hub restarted)", async () => {
    const before = await startTestHub();
    const first = await connectReady(before, device);
    await pushChanges(before, 0, 1);
    await waitFor(() => first.events.length === 1, { what: "event" });
    const cursor = first.events[0]?.cursor;
    const after = await startTestHub();
    const second = await connectReady(after, { ...device, cursor });
    expect(second.resyncs[0]?.reason).toBe("epoch_changed");
    expect(second.ready[0]?.recovered).toBe(false);
  });

  it("sends resync for a cursor ahead of the log", async () => {
    const hub = await startTestHub();
    const first = await connectReady(hub, device);
    const ahead = first.ready[0]?.cursor.replace(/-\d+$/, "-99");
    const second = await connectReady(hub, { ...device, cursor: ahead });
    expect(second.resyncs[0]?.reason).toBe("cursor_unknown");
  });
});

describe("sessions", () => {
  it("closes a device's older session when the device connects again", async () => {
    const hub = await startTestHub();
    await expectSessionReplaced(hub, hub);
  });
});

describe("sync state", () => {
  it("moves only on ack, never backwards, and counts like user.sync.state", async () => {
    const hub = await startTestHub();
    const key = { tenant: "default", uid: 9, deviceId: "tablet-1" };
    const client = await connectReady(hub, { ...device, appType: "sales_app" });
    await pushChanges(hub, 0, 3);
    await waitFor(() => client.events.length === 3, { what: "events" });
    expect((await hub.devices.get(key))?.acked).toBeNull();
    const [a, b, c] = client.events.map((e) => e.cursor);
    expect(await client.socket.emitWithAck("ack", { cursor: b, events: 2 })).toEqual({
      ok: true,
      cursor: b,
    });
    expect(await client.socket.emitWithAck("ack", { cursor: a, events: 1 })).toEqual({
      ok: true,
      cursor: b,
    });
    const state = await hub.devices.get(key);
    expect(state).toMatchObject({
      appType: "sales_app",
      syncCount: 1,
      lastEventCount: 2,
      totalEventsSynced: 2,
    });
    expect(state?.acked?.seq).toBe(client.events[1]?.seq);
    await client.socket.emitWithAck("ack", { cursor: c, events: 1 });
    expect(await hub.devices.get(key)).toMatchObject({
      syncCount: 2,
      lastEventCount: 1,
      totalEventsSynced: 3,
    });
  });

  it("refuses acks of malformed, foreign-epoch or future cursors", async () => {
    const hub = await startTestHub();
    const client = await connectReady(hub, device);
    const head = client.ready[0]?.cursor ?? "";
    const bad = async (cursor: unknown) =>
      ((await client.socket.emitWithAck("ack", { cursor })) as { error?: { code: string } }).error
        ?.code;
    expect(await bad("garbage")).toBe("invalid_cursor");
    expect(await bad(head.replace(/^[a-z0-9]+/, "0000000000000000"))).toBe("invalid_cursor");
    expect(await bad(head.replace(/-\d+$/, "-5"))).toBe("invalid_cursor");
    expect(await bad(42)).toBe("invalid_request");
  });
});
