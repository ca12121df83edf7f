/**
 * The poller against a simulated Odoo, with real stores: where it starts, what it stores before
 * it logs a row, what it says, and that it never starts over when its watermark is unreadable.
 */
import { describe, expect, test } from "vitest";
import { saleChange, SIM_API_KEY, startSim } from "../../test/helpers/sim.js";
import { captureLogger } from "../../test/helpers/log-capture.js";
import { redisSkipReason, uniquePrefix, useRedis } from "../../test/helpers/redis.js";
import { waitFor } from "../../test/helpers/wait.js";
import { PullSettings, Tenant } from "../src/config/tenants.js";
import { Ingestor } from "../src/ingest/ingest.js";
import { Poller } from "../src/ingest/poller.js";
import { MemoryEventLog } from "../src/log/event-log-memory.js";
import { RestLedger } from "../src/odoo/ledger-rest.js";
import { OdooClient } from "../src/odoo/odoo-client.js";
import { createMetrics } from "../src/ops/metrics.js";
import { tenantKeys } from "../src/ops/redis-keys.js";
import { MemoryPullStore } from "../src/state/pull-store-memory.js";
import type { PullStore } from "../src/state/pull-store.js";
import { RedisPullStore } from "../src/state/pull-store-redis.js";
import type { OdooSim } from "@odoo-live/odoo-sim";

const TENANT = "default";

function pollerOf(sim: OdooSim, store: PullStore, settings: Partial<PullSettings> = {}) {
  const log = new MemoryEventLog({
    retention: { maxCount: 10_000, maxAgeMs: 3_600_000 },
    dedupeMs: 60_000,
  });
  const metrics = createMetrics();
  const tenants = new Map([[TENANT, Tenant.parse({ push: { allowUnauthenticated: true } })]]);
  const { logger, lines } = captureLogger("debug");
  const ingestor = new Ingestor(log, tenants, metrics, { maxRoutedUsers: 100 }, logger);
  const poller = new Poller({
    tenant: TENANT,
    settings: PullSettings.parse({ intervalMs: 20, ...settings }),
    ledger: new RestLedger(new OdooClient({ url: sim.url, timeoutMs: 2000 }, SIM_API_KEY)),
    odoo: undefined,
    ingestor,
    log,
    store,
    logger,
    metrics,
    holder: "test-node",
  });
  return { poller, log, metrics, lines };
}

describe("Poller", () => {
  test("stores its start point under its lease token before it logs a row", async () => {
    const sim = await startSim();
    for (let i = 0; i < 3; i++) sim.change(saleChange(`S${i}`));
    const store = new MemoryPullStore();
    const { poller, log } = pollerOf(sim, store, { start: "earliest" });
    const storedAtAppend: Promise<number | null>[] = [];
    log.subscribe(TENANT, () => storedAtAppend.push(store.cursor(TENANT)));
    poller.start();
    await waitFor(() => storedAtAppend.length === 3, { what: "3 rows logged" });
    await poller.stop();
    expect(await Promise.all(storedAtAppend)).toEqual([0, 0, 0]);
  });

  test("an empty ledger whose ids begin at 1,001 opens no id gap below its first row", async () => {
    const sim = await startSim();
    for (let i = 0; i < 1000; i++) sim.change({ ...saleChange(`R${i}`), rollback: true });
    const { poller, log, lines } = pollerOf(sim, new MemoryPullStore(), { start: "latest" });
    poller.start();
    await waitFor(() => lines().some((l) => l.msg === "pulling from Odoo"), { what: "a start" });
    for (let i = 0; i < 3; i++) sim.change(saleChange(`F${i}`));
    // The late-commit window is 10 s: the watermark reaches the rows long before it ends.
    await waitFor(() => poller.stable === 1003, { timeoutMs: 3000, what: "watermark at 1003" });
    expect((await log.head(TENANT)).seq).toBe(3);
    expect(await log.ledgerAt(TENANT, 3)).toBe(1003);
    await poller.stop();
  });

  test("says where it starts, which lease it holds, and which ids it passed as rolled back", async () => {
    const sim = await startSim();
    sim.change(saleChange("A"));
    const { poller, metrics, lines } = pollerOf(sim, new MemoryPullStore(), {
      start: "earliest",
      lateCommitWindowMs: 200,
    });
    poller.start();
    await waitFor(() => poller.stable === 1, { what: "row 1" });
    sim.change({ ...saleChange("B"), rollback: true });
    sim.change({ ...saleChange("C"), rollback: true });
    sim.change(saleChange("D"));
    await waitFor(() => poller.stable === 4, { what: "ids 2-3 passed as rolled back" });
    await poller.stop();
    const said = lines();
    expect(said).toContainEqual(
      expect.objectContaining({ msg: "holding the pull lease", tenant: TENANT, fence: 1 }),
    );
    expect(said).toContainEqual(
      expect.objectContaining({ msg: "pulling from Odoo", from: 0, origin: "earliest", fence: 1 }),
    );
    const skip = said.find(
      (l) => l.msg === "pull watermark passed missing ledger ids as rolled back",
    );
    expect(skip).toMatchObject({ tenant: TENANT, from: 2, to: 3 });
    expect(skip?.["waitedMs"]).toBeGreaterThanOrEqual(200);
    const skipped = await metrics.pullIdsSkipped.get();
    expect(skipped.values).toEqual([
      expect.objectContaining({ value: 2, labels: { tenant: TENANT } }),
    ]);
  });
});

describe.skipIf(redisSkipReason() !== undefined)("Poller on Redis", () => {
  const { connect } = useRedis();

  test("an unreadable watermark stops pulling with an error, never a start over", async () => {
    const sim = await startSim();
    for (let i = 0; i < 3; i++) sim.change(saleChange(`U${i}`));
    const client = connect();
    const prefix = uniquePrefix();
    await client.set(tenantKeys(prefix, TENANT).pullCursor, "garbage");
    const { poller, log, lines } = pollerOf(sim, new RedisPullStore(client, { prefix }), {
      start: "latest",
    });
    poller.start();
    await waitFor(() => lines().filter((l) => l.msg === "pull failed").length >= 2, {
      what: "two failed attempts",
    });
    expect(lines().some((l) => l.msg === "pulling from Odoo")).toBe(false);
    expect((await log.head(TENANT)).seq).toBe(0);
    // An operator repairs the watermark: pulling resumes from it, not from the newest row.
    await client.set(tenantKeys(prefix, TENANT).pullCursor, "1");
    await waitFor(() => poller.stable === 3, { timeoutMs: 10_000, what: "rows 2 and 3" });
    expect((await log.head(TENANT)).seq).toBe(2);
    await poller.stop();
  });
});
