/**
 * Redis away while Odoo pushes, devices ack and devices reconnect: every push is refused with 503
 * and every request answered with an error, as before, but the hub's log does not write one error
 * line each. The failures go through the rate-limited lines (5 at once, then 1 a second per
 * tenant and kind), the rest are counted, and nothing accepted is lost once Redis is back.
 */
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { connectRaw, connectReady, mintToken, startTestHub } from "./helpers/hub.js";
import { nameRange, pushNamed, pushNamedTogether } from "./helpers/changes.js";
import { captureLogger, type LogLine } from "./helpers/log-capture.js";
import { metricSum } from "./helpers/metrics.js";
import { redisSkipReason, startRedis, uniquePrefix } from "./helpers/redis.js";
import { waitFor } from "./helpers/wait.js";

const BURST = 5;
const FAILURES = 40;
const RECONNECTS = 20;

describe.skipIf(redisSkipReason() !== undefined)("a store outage", () => {
  it("refuses pushes and requests, and logs their failures rate limited", async () => {
    const redis = await startRedis();
    const { logger, lines } = captureLogger("info");
    const hub = await startTestHub(
      { REDIS_URL: redis.url, HUB_REDIS_PREFIX: uniquePrefix() },
      { logger },
    );
    const auth = { token: mintToken({ uid: 2 }), deviceId: "outage-phone" };
    const device = await connectReady(hub, auth);
    expect(await pushNamed(hub, ["before"])).toEqual([200]);
    await waitFor(() => device.events.length === 1, { what: "the event before the outage" });
    const cursor = device.events[0]?.cursor;

    await redis.crash();
    await waitFor(async () => (await metricSum(hub, "odoo_live_ready")) === 0, {
      what: "the hub not ready",
    });
    const began = Date.now();
    const statuses = await pushNamedTogether(hub, nameRange(0, FAILURES));
    const acks = await Promise.all(
      Array.from({ length: FAILURES }, () =>
        device.socket.emitWithAck("ack", { cursor, events: 1 }),
      ),
    );
    // Devices that reconnect now are let in (the handshake needs no store) and their resume
    // fails: each is disconnected, to come back later.
    const turnedAway = await Promise.all(
      Array.from({ length: RECONNECTS }, (_, i) => {
        const { socket } = connectRaw(hub, { ...auth, deviceId: `outage-tablet-${i}` });
        return new Promise<string>((resolve) => {
          socket.once("disconnect", (reason) => resolve(`disconnect: ${reason}`));
          socket.once("connect_error", (error) => resolve(`connect_error: ${error.message}`));
        });
      }),
    );
    expect(turnedAway).toEqual(Array(RECONNECTS).fill("disconnect: io server disconnect"));
    const seconds = Math.ceil((Date.now() - began) / 1000);

    expect(statuses).toEqual(Array(FAILURES).fill(503));
    expect(acks).toEqual(
      Array(FAILURES).fill({ ok: false, error: { code: "internal", message: expect.any(String) } }),
    );
    const failed = (msg: string) => lines().filter((l) => l.msg === msg && l.level === 50);
    const expectLimited = async (msg: string, attempts: number, fields: Partial<LogLine>) => {
      const written = failed(msg);
      expect(written.length, msg).toBeGreaterThanOrEqual(1);
      // The burst, then one a second of the time the failures took.
      expect(written.length, msg).toBeLessThanOrEqual(BURST + seconds);
      expect(written[0], msg).toMatchObject({ ...fields, err: expect.anything() });
      const suppressed = await metricSum(hub, "odoo_live_log_lines_suppressed_total", {
        line: msg,
      });
      expect(suppressed + written.length, msg).toBe(attempts);
    };
    await expectLimited("event log append failed", FAILURES, { tenant: "default" });
    await expectLimited("request failed", FAILURES, { tenant: "default", request: "ack" });
    await expectLimited("resume failed; disconnecting", RECONNECTS, { tenant: "default" });

    // Back: what was accepted before is there, and pushes are accepted again.
    await redis.start();
    await waitFor(async () => (await metricSum(hub, "odoo_live_ready")) === 1, {
      timeoutMs: 15_000,
      what: "the hub ready again",
    });
    expect(await pushNamed(hub, ["after"])).toEqual([200]);
    const again = await connectReady(hub, { ...auth, cursor });
    await waitFor(() => again.events.length === 1, { what: "the event after the outage" });
    expect(again.events.map((e) => e.record["name"])).toEqual(["after"]);
  });

  it("logs a live feed that fails on every message rate limited, and still delivers", async () => {
    const redis = await startRedis();
    const { logger, lines } = captureLogger("info");
    const prefix = uniquePrefix();
    const hub = await startTestHub({ REDIS_URL: redis.url, HUB_REDIS_PREFIX: prefix }, { logger });
    const device = await connectReady(hub, { token: mintToken({ uid: 2 }), deviceId: "feed" });
    const admin = new Redis(redis.url);
    try {
      // The hub's live channel, as Redis lists it (the one the hub subscribed).
      const [channel] = (await admin.pubsub("CHANNELS", `${prefix}*`)) as string[];
      expect(channel).toBeDefined();
      for (let i = 0; i < FAILURES; i++) await admin.publish(channel ?? "", `not json ${i}`);
      const line = "live delivery failed";
      const written = () => lines().filter((l) => l.msg === line && l.level === 50);
      await waitFor(
        async () =>
          written().length +
            (await metricSum(hub, "odoo_live_log_lines_suppressed_total", { line })) ===
          FAILURES,
        { what: "every unreadable message logged or counted" },
      );
      expect(written().length).toBeLessThanOrEqual(BURST + 1);
      expect(written()[0]).toMatchObject({ err: expect.anything() });
    } finally {
      admin.disconnect();
    }
    expect(await pushNamed(hub, ["after"])).toEqual([200]);
    await waitFor(() => device.events.length === 1, { what: "the event after them" });
  });
});
