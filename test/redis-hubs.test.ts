/** Several hub nodes sharing one Redis: any node takes pushes and serves any device. */
import type { Hub } from "@odoo-live/server";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { connectReady, mintToken, startTestHub, type RecordingSocket } from "./helpers/hub.js";
import { redisSkipReason, startRedis, type TestRedis } from "./helpers/redis.js";
import { waitFor } from "./helpers/wait.js";
import { expectCrossNodeResume, expectSessionReplaced } from "./helpers/cross-node.js";
import { pushNamed, pushNamedTogether } from "./helpers/changes.js";
import { monitorCommands } from "./helpers/redis-monitor.js";

let counter = 0;

/** Two nodes on one Redis, with a key prefix of their own. */
async function twoNodes(redis: TestRedis): Promise<[Hub, Hub]> {
  const env = { REDIS_URL: redis.url, HUB_REDIS_PREFIX: `test${++counter}:` };
  return [await startTestHub(env), await startTestHub(env)];
}

const DEVICE = { token: mintToken({ uid: 2 }), deviceId: "tablet-1", models: ["sale.order"] };
const names = (client: RecordingSocket) => client.events.map((e) => e.record["name"]);

describe.skipIf(redisSkipReason() !== undefined)("several hubs on one Redis", () => {
  it("delivers events pushed to any node, and resumes a device on another node without a gap", async () => {
    const redis = await startRedis();
    const [a, b] = await twoNodes(redis);
    await expectCrossNodeResume(a, b);
  });

  it("closes a device's older session on another node when it connects again", async () => {
    const redis = await startRedis();
    const [a, b] = await twoNodes(redis);
    await expectSessionReplaced(a, b);
    // Dynamic mode: the device's room has a sharded channel, subscribed by the nodes hosting it.
    const raw = new Redis(redis.url);
    const channel = `test${counter}:socket.io#/#d:default:2:tablet-1#`;
    const subscribers = async () => (await raw.call("PUBSUB", "SHARDNUMSUB", channel)) as unknown[];
    await waitFor(async () => (await subscribers())[1] === 1, { what: "only b hosting the room" });
    // No other room has a channel (the rest are each node's own and response channels).
    const channels = (await raw.call("PUBSUB", "SHARDCHANNELS")) as string[];
    const rooms = channels.map((c) => c.split("#")[2] ?? "").filter((room) => room.includes(":"));
    expect(rooms).toContain("d:default:2:tablet-1");
    expect(rooms.filter((room) => !room.startsWith("d:"))).toEqual([]);
    raw.disconnect();
  });

  it("resumes on another node after the first was closed, with the sync state it acked there", async () => {
    const redis = await startRedis();
    const [a, b] = await twoNodes(redis);
    const onA = await connectReady(a, DEVICE);
    await pushNamed(a, ["S1", "S2"]);
    await waitFor(() => onA.events.length === 2, { what: "2 events" });
    await onA.socket.emitWithAck("ack", { cursor: onA.events[1]?.cursor, events: 2 });
    await a.close();
    await pushNamed(b, ["S3"]);
    const onB = await connectReady(b, { token: DEVICE.token, deviceId: DEVICE.deviceId });
    expect(names(onB)).toEqual(["S3"]);
    expect(onB.ready[0]?.models).toEqual(["sale.order"]);
  });

  it("answers an ack of a delivered event with one Redis command", async () => {
    const redis = await startRedis();
    const [a] = await twoNodes(redis);
    const device = await connectReady(a, DEVICE);
    await pushNamed(a, ["S1", "S2"]);
    await waitFor(() => device.events.length === 2, { what: "2 events" });
    const monitor = await monitorCommands(redis.url);
    for (const event of device.events) {
      const answer = await device.socket.emitWithAck("ack", { cursor: event.cursor, events: 1 });
      expect(answer).toMatchObject({ ok: true });
    }
    // One script call per ack (the first is sent as EVAL when Redis does not have the script yet).
    const calls = await monitor.take();
    expect(calls).toHaveLength(device.events.length);
    expect(calls.every((c) => c === "evalsha" || c === "eval")).toBe(true);
    monitor.close();
  });

  it("answers a burst of acks from many devices in fewer script calls", async () => {
    const redis = await startRedis();
    const [a] = await twoNodes(redis);
    const devices = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        connectReady(a, { ...DEVICE, deviceId: `phone-${i}`, token: mintToken({ uid: 10 + i }) }),
      ),
    );
    await pushNamed(a, ["S1"]);
    await waitFor(() => devices.every((d) => d.events.length === 1), { what: "S1 on 20 devices" });
    const monitor = await monitorCommands(redis.url);
    const answers = await Promise.all(
      devices.map((d) => d.socket.emitWithAck("ack", { cursor: d.events[0]?.cursor, events: 1 })),
    );
    expect(answers.every((answer) => (answer as { ok: boolean }).ok)).toBe(true);
    const calls = await monitor.take();
    monitor.close();
    const scripts = calls.filter((c) => c === "evalsha" || c === "eval").length;
    expect(scripts).toBeGreaterThan(0);
    expect(scripts).toBeLessThan(devices.length);
  });

  it("takes a push from an address that keeps succeeding with one Redis call", async () => {
    const redis = await startRedis();
    const [a] = await twoNodes(redis);
    await pushNamed(a, ["warm-up"]);
    const monitor = await monitorCommands(redis.url);
    const started = Date.now();
    const names = Array.from({ length: 20 }, (_, i) => `P${i}`);
    expect(await pushNamed(a, names)).toEqual(names.map(() => 200));
    const seconds = Math.ceil((Date.now() - started) / 1000);
    const calls = await monitor.take();
    monitor.close();
    // The append script, once per push; the failed-authentication limit is asked at most once a
    // second for an address whose pushes succeed (one MULTI…EXEC each time).
    expect(calls.filter((c) => c === "evalsha" || c === "eval")).toHaveLength(names.length);
    const checks = calls.filter((c) => c === "multi").length;
    expect(checks).toBeLessThanOrEqual(Math.min(seconds + 1, names.length - 1));
  });

  it("appends a burst of concurrent pushes in fewer script calls, each delivered once in order", async () => {
    const redis = await startRedis();
    const [a, b] = await twoNodes(redis);
    const onB = await connectReady(b, DEVICE);
    await pushNamed(a, ["warm-up"]);
    await waitFor(() => onB.events.length === 1, { what: "the warm-up event" });
    const monitor = await monitorCommands(redis.url);
    const burst = Array.from({ length: 50 }, (_, i) => `B${i}`);
    expect(await pushNamedTogether(a, burst)).toEqual(burst.map(() => 200));
    const calls = await monitor.take();
    monitor.close();
    // Pushes that arrive while the tenant's script runs go together in its next call.
    const scripts = calls.filter((c) => c === "evalsha" || c === "eval").length;
    expect(scripts).toBeGreaterThan(0);
    expect(scripts).toBeLessThan(burst.length);
    await waitFor(() => onB.events.length === 1 + burst.length, { what: "the burst on node b" });
    expect(new Set(names(onB)).size).toBe(1 + burst.length);
    expect(names(onB).slice(1).sort()).toEqual([...burst].sort());
    const seqs = onB.events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
  });

  it("carries on by itself after a Redis crash-restart that kept its data", async () => {
    const redis = await startRedis();
    const [a] = await twoNodes(redis);
    const device = await connectReady(a, DEVICE);
    await pushNamed(a, ["S1"]);
    await waitFor(() => device.events.length === 1, { what: "an event" });
    const restarted = redis.restart({ keepData: true });
    await waitFor(async () => (await fetch(`${a.url}/readyz`)).status === 503, {
      what: "not ready",
    }).catch(() => undefined);
    await restarted;
    await waitFor(async () => (await fetch(`${a.url}/readyz`)).status === 200, {
      timeoutMs: 10_000,
      what: "ready again",
    });
    await waitFor(async () => (await pushNamed(a, [`S2-${Date.now()}`]))[0] === 200, {
      timeoutMs: 10_000,
      what: "a push accepted",
    });
    await waitFor(() => device.events.length >= 2 || !device.socket.connected, {
      what: "delivery or a resume",
    });
    expect((await a.log.head("default")).seq).toBeGreaterThanOrEqual(2);
  });

  it("refuses pushes with 503 while the log cannot be written", async () => {
    const redis = await startRedis();
    const [a] = await twoNodes(redis);
    await redis.stop();
    const [status] = await pushNamed(a, ["S1"]);
    expect(status).toBe(503);
    expect((await fetch(`${a.url}/readyz`)).status).toBe(503);
  });

  it("after Redis lost its data, the epoch changes and a device gets resync", async () => {
    const redis = await startRedis();
    const [a] = await twoNodes(redis);
    const first = await connectReady(a, DEVICE);
    await pushNamed(a, ["S1"]);
    await waitFor(() => first.events.length === 1, { what: "an event" });
    const cursor = first.events[0]?.cursor;
    first.socket.disconnect();
    await redis.restart({ keepData: false });
    await waitFor(async () => (await pushNamed(a, [`S2-${Date.now()}`]))[0] === 200, {
      timeoutMs: 10_000,
      what: "a push accepted",
    });
    const again = await connectReady(a, { ...DEVICE, cursor });
    expect(again.resyncs.map((r) => r.reason)).toEqual(["epoch_changed"]);
  });
});
