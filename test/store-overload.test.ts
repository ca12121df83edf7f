/**
 * Redis falling behind (paused with CLIENT PAUSE, as a busy or stalled server would be) while
 * devices keep acking: the node holds at most 5,000 acks for it, answers the rest `unavailable`
 * at once (logged rate limited, not one line each), and every ack it held is answered and stored
 * once Redis serves again.
 */
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { connectReady, mintToken, startTestHub, type RecordingSocket } from "./helpers/hub.js";
import { pushNamed } from "./helpers/changes.js";
import { captureLogger } from "./helpers/log-capture.js";
import { metricSum } from "./helpers/metrics.js";
import { redisSkipReason, startRedis, uniquePrefix } from "./helpers/redis.js";
import { waitFor } from "./helpers/wait.js";

/** The Redis device store's bound: 10 batches of 500 acks wait per node on one Redis. */
const HELD = 5_000;
const DEVICES = 30;
/** Within a socket's burst of 200 requests, so none is refused as `rate_limited`. */
const ACKS_PER_DEVICE = 190;

type AckAnswer = { ok: true; cursor: string } | { ok: false; error: { code: string } };

let admin: Redis | undefined;
afterEach(async () => {
  await admin?.client("UNPAUSE");
  admin?.disconnect();
  admin = undefined;
});

describe.skipIf(redisSkipReason() !== undefined)("a store falling behind", () => {
  it("holds 5,000 acks, refuses the rest as unavailable, and answers what it held", async () => {
    const redis = await startRedis();
    const { logger, lines } = captureLogger("info");
    const hub = await startTestHub(
      { REDIS_URL: redis.url, HUB_REDIS_PREFIX: uniquePrefix(), HUB_ACK_LINGER_MS: "0" },
      { logger },
    );
    const devices: RecordingSocket[] = [];
    for (let i = 0; i < DEVICES; i++)
      devices.push(await connectReady(hub, { token: mintToken(), deviceId: `busy-${i}` }));
    expect(await pushNamed(hub, ["acked"])).toEqual([200]);
    await waitFor(() => devices.every((d) => d.events.length === 1), { what: "every event" });

    admin = new Redis(redis.url);
    // WRITE pauses every script call (EVAL, EVALSHA) and leaves CLIENT UNPAUSE through.
    await admin.client("PAUSE", 60_000, "WRITE");
    const answers: AckAnswer[] = [];
    const pending = devices.flatMap(({ socket, events }) =>
      Array.from({ length: ACKS_PER_DEVICE }, async () => {
        const answer = (await socket.emitWithAck("ack", {
          cursor: events[0]?.cursor,
          events: 1,
        })) as AckAnswer;
        answers.push(answer);
      }),
    );
    const sent = DEVICES * ACKS_PER_DEVICE;
    // Past the bound the answers come while Redis is still paused.
    await waitFor(() => answers.length >= sent - HELD - 1, {
      timeoutMs: 20_000,
      what: "the acks past the bound refused",
    });
    expect(answers.every((a) => !a.ok && a.error.code === "unavailable")).toBe(true);

    await admin.client("UNPAUSE");
    await Promise.all(pending);
    const refused = answers.filter((a) => !a.ok);
    expect(refused.every((a) => !a.ok && a.error.code === "unavailable")).toBe(true);
    // The one running when Redis paused, and the ones held behind it.
    expect(answers.length - refused.length).toBeGreaterThanOrEqual(HELD);
    expect(answers.length - refused.length).toBeLessThanOrEqual(HELD + 1);

    const warned = lines().filter((l) => l.msg === "request refused: store overloaded");
    expect(warned.length).toBeGreaterThanOrEqual(1);
    expect(warned.length).toBeLessThan(refused.length);
    const suppressed = await metricSum(hub, "odoo_live_log_lines_suppressed_total", {
      line: "request refused: store overloaded",
    });
    expect(suppressed + warned.length).toBe(refused.length);
    expect(lines().filter((l) => l.level >= 50)).toEqual([]);

    // Stored: a device reconnecting without a cursor resumes after the event it acked.
    devices[7]?.socket.disconnect();
    expect(await pushNamed(hub, ["later"])).toEqual([200]);
    const again = await connectReady(hub, { token: mintToken(), deviceId: "busy-7" });
    expect(again.events.map((e) => e.record["name"])).toEqual(["later"]);
  });
});
