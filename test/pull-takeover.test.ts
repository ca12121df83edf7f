/**
 * G1 across pull leaders: the watermark is stored before the first row is logged and moves only
 * past rows in the log, so neither a successor, nor the same node after a Redis outage or flush,
 * ever starts over from Odoo's newest row and skips what was not read yet. Each scenario holds
 * the watermark back with a late commit (an id gap), which is when the old code lost rows.
 */
import type { OdooSim } from "@odoo-live/odoo-sim";
import type { Hub } from "@odoo-live/server";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { connectReady, mintToken, startTestHub } from "./helpers/hub.js";
import { buildHub, startHubProcess } from "./helpers/hub-process.js";
import { captureLogger, parseLogLines, type LogLine } from "./helpers/log-capture.js";
import { redisSkipReason, startRedis, uniquePrefix, type TestRedis } from "./helpers/redis.js";
import { SIM_API_KEY, saleChange, startSim } from "./helpers/sim.js";
import { waitFor } from "./helpers/wait.js";

/** Hub settings: pull from `sim` from its newest row on, with a short lease. */
function pulling(sim: OdooSim, redisUrl: string): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    HUB_REDIS_PREFIX: uniquePrefix(),
    ODOO_URL: sim.url,
    ODOO_API_KEY: SIM_API_KEY,
    ODOO_PULL_START: "latest",
    ODOO_PULL_INTERVAL_MS: "50",
    HUB_PULL_LEASE_TTL_MS: "600",
  };
}

/** Ledger rows that existed before any hub ran, and a late commit with rows committed above it. */
function heldBackLedger(sim: OdooSim, lateMs: number) {
  for (let i = 0; i < 3; i++) sim.change(saleChange(`before-${i}`));
  const late = sim.change({ ...saleChange("late"), commitDelayMs: lateMs });
  return { start: late.updateWebhookId - 1, late: late.updateWebhookId, committed: late.committed };
}

/** The ledger ids of the events in a hub's log (every one the log still holds). */
async function loggedIds(hub: Hub): Promise<number[]> {
  const log = hub.log;
  const read = await log.readSince("default", await log.oldest("default"), {
    uid: 0,
    models: new Set(["sale.order"]),
    allowed: "*",
  });
  if (!read.ok) throw new Error(`cannot read the log: ${read.reason}`);
  return read.events.map((e) => e.origin.updateWebhookId ?? 0).sort((a, b) => a - b);
}

const idsAbove = (sim: OdooSim, start: number) =>
  sim
    .rows()
    .map((r) => r.id)
    .filter((id) => id > start);

const starts = (lines: LogLine[]) => lines.filter((l) => l.msg === "pulling from Odoo");

describe.skipIf(redisSkipReason() !== undefined)("pull leaders never skip a row", () => {
  it("a leader SIGKILLed before its first watermark move: the successor starts where it started", async () => {
    buildHub();
    const redis = await startRedis();
    const sim = await startSim();
    const { start, late, committed } = heldBackLedger(sim, 6000);
    const env = { ...pulling(sim, redis.url), LOG_LEVEL: "info" };
    const a = await startHubProcess(env);
    await waitFor(() => starts(parseLogLines(a.output())).length > 0, { what: "A to pull" });
    const first = await connectReady(a, {
      token: mintToken({ uid: 2 }),
      deviceId: "takeover-1",
      models: ["sale.order"],
    });
    for (let i = 0; i < 3; i++) sim.change(saleChange(`led-by-a-${i}`));
    await waitFor(() => first.events.length === 3, { what: "node A to pull 3 rows" });
    // Row `late` is not committed yet: A's watermark is still `start`.
    await a.kill();
    for (let i = 0; i < 3; i++) sim.change(saleChange(`while-nobody-leads-${i}`));

    const b = await startHubProcess(env);
    const resumed = await connectReady(b, {
      token: mintToken({ uid: 2 }),
      deviceId: "takeover-1",
      cursor: first.events.at(-1)?.cursor,
    });
    await committed;
    const expected = idsAbove(sim, start);
    await waitFor(() => first.events.length + resumed.events.length === expected.length, {
      timeoutMs: 15_000,
      what: "every row, the late commit included, through node B",
    });
    const seen = [...first.events, ...resumed.events].map((e) => e.origin.updateWebhookId);
    expect(seen.sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(expected);
    expect(seen).toContain(late);
    expect(resumed.resyncs).toEqual([]);
    const [startOfB] = starts(parseLogLines(b.output()));
    expect(startOfB).toMatchObject({ from: start, origin: "stored watermark" });
  }, 40_000);

  /**
   * An in-process hub on `redis` pulling `sim` whose watermark a late commit holds back, one row
   * above it logged; `disrupt` does something to Redis while three more changes are made. Every
   * row above the start must end in the hub's log.
   */
  async function heldBackThrough(disrupt: (redis: TestRedis) => Promise<void>) {
    const redis = await startRedis();
    const sim = await startSim();
    const { start, late, committed } = heldBackLedger(sim, 4000);
    const { logger, lines } = captureLogger("info");
    const hub = await startTestHub(pulling(sim, redis.url), { logger });
    await waitFor(() => starts(lines()).length > 0, { what: "the hub to pull" });
    sim.change(saleChange("before"));
    await waitFor(async () => (await loggedIds(hub)).length === 1, { what: "one row pulled" });
    const disrupted = disrupt(redis);
    for (let i = 0; i < 3; i++) sim.change(saleChange(`meanwhile-${i}`));
    await disrupted;
    await committed;
    await waitFor(async () => (await loggedIds(hub)).length === idsAbove(sim, start).length, {
      timeoutMs: 15_000,
      what: "every row above the start in the log",
    });
    expect(await loggedIds(hub)).toEqual(idsAbove(sim, start));
    expect(await loggedIds(hub)).toContain(late);
    return { start, starts: starts(lines()) };
  }

  it("Redis away longer than the lease: the leader re-opens from the stored watermark", async () => {
    const { start, starts } = await heldBackThrough((redis) =>
      redis.restart({ keepData: true, downMs: 1500 }),
    );
    const [first, again] = starts;
    expect(first).toMatchObject({ from: start, origin: "latest" });
    expect(again).toMatchObject({ from: start, origin: "stored watermark" });
    expect(again?.["fence"]).toBeGreaterThan(first?.["fence"] as number);
  }, 30_000);

  it("a flushed Redis: the leader re-reads from its last watermark into the new log", async () => {
    const { start, starts } = await heldBackThrough(async (redis) => {
      const admin = new Redis(redis.url);
      await admin.flushall();
      admin.disconnect();
    });
    expect(starts.at(-1)).toMatchObject({ from: start, origin: "this node" });
  }, 30_000);
});
