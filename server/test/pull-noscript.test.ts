/**
 * A pulled page is appended in one script call. When Redis has lost its script cache (SCRIPT
 * FLUSH, a restart) the call fails with NOSCRIPT and ioredis resends it as EVAL: the page's rows
 * must still get seqs in ledger order, and none may be lost.
 */
import { Redis } from "ioredis";
import { beforeAll, describe, expect, test } from "vitest";
import { saleChange, SIM_API_KEY, startSim } from "../../test/helpers/sim.js";
import { captureLogger } from "../../test/helpers/log-capture.js";
import {
  redisSkipReason,
  startRedis,
  uniquePrefix,
  type TestRedis,
} from "../../test/helpers/redis.js";
import { waitFor } from "../../test/helpers/wait.js";
import { PullSettings, Tenant } from "../src/config/tenants.js";
import { Ingestor } from "../src/ingest/ingest.js";
import { Poller } from "../src/ingest/poller.js";
import { RedisEventLog } from "../src/log/event-log-redis.js";
import type { Ledger } from "../src/odoo/ledger.js";
import { RestLedger } from "../src/odoo/ledger-rest.js";
import { OdooClient } from "../src/odoo/odoo-client.js";
import { createMetrics } from "../src/ops/metrics.js";
import { RedisPullStore } from "../src/state/pull-store-redis.js";

const TENANT = "default";
const PAGE = 40;
const PAGES = 5;
const ROWS = PAGE * PAGES;

describe.skipIf(redisSkipReason() !== undefined)("Pull on Redis across NOSCRIPT", () => {
  let server: TestRedis;
  beforeAll(async () => {
    server = await startRedis();
  });

  /** Connection errors are expected while the server restarts; the commands wait it out. */
  function connection(): Redis {
    const client = new Redis(server.url);
    client.on("error", () => undefined);
    return client;
  }

  /**
   * Pulls ROWS rows in PAGES pages, calling `beforeAppend` between reading each page and
   * appending it, and returns the log's events from the start.
   */
  async function pullAll(beforeAppend: (page: number) => Promise<void>) {
    const sim = await startSim();
    for (let i = 0; i < ROWS; i++) sim.change(saleChange(`N${i}`));
    const prefix = uniquePrefix();
    const log = new RedisEventLog(connection(), {
      retention: { maxCount: 10_000, maxAgeMs: 3_600_000 },
      dedupeMs: 60_000,
      prefix,
    });
    const store = connection();
    const rest = new RestLedger(new OdooClient({ url: sim.url, timeoutMs: 5000 }, SIM_API_KEY));
    let pages = 0;
    const ledger: Ledger = {
      newestId: () => rest.newestId(),
      readAfter: async (after, limit) => {
        const page = await rest.readAfter(after, limit);
        if (page.rows.length > 0) await beforeAppend(++pages);
        return page;
      },
    };
    const { logger } = captureLogger("debug");
    const metrics = createMetrics();
    const tenants = new Map([[TENANT, Tenant.parse({ push: { allowUnauthenticated: true } })]]);
    const poller = new Poller({
      tenant: TENANT,
      settings: PullSettings.parse({ intervalMs: 20, start: "earliest", pageSize: PAGE }),
      ledger,
      odoo: undefined,
      ingestor: new Ingestor(log, tenants, metrics, { maxRoutedUsers: 100 }, logger),
      log,
      store: new RedisPullStore(store, { prefix }),
      logger,
      metrics,
      holder: "test-node",
    });
    try {
      poller.start();
      await waitFor(() => poller.stable === ROWS, { timeoutMs: 20_000, what: `${ROWS} rows` });
      const { epoch } = await log.head(TENANT);
      const all = { uid: 1, models: new Set(["sale.order"]), allowed: "*" as const };
      const read = await log.readSince(TENANT, { epoch, seq: 0 }, all);
      if (!read.ok) expect.fail(`expected events, got ${JSON.stringify(read)}`);
      return { events: read.events, pages };
    } finally {
      await poller.stop();
      await log.close();
      store.disconnect();
    }
  }

  const ledgerOrder = Array.from({ length: ROWS }, (_, i) => i + 1);
  const seqs = Array.from({ length: ROWS }, (_, i) => i + 1);

  test("with the script cache flushed before every page, rows keep ledger order", async () => {
    const admin = connection();
    await admin.config("RESETSTAT");
    const { events, pages } = await pullAll(async () => {
      await admin.script("FLUSH");
    });
    // Every page's EVALSHA met NOSCRIPT and was resent as EVAL: the path under test ran.
    const stats = await admin.info("commandstats");
    const evals = Number(/cmdstat_eval:calls=(\d+)/.exec(stats)?.[1] ?? 0);
    admin.disconnect();
    expect(pages).toBeGreaterThanOrEqual(PAGES);
    expect(evals).toBeGreaterThanOrEqual(PAGES);
    expect(events.map((e) => e.origin.updateWebhookId)).toEqual(ledgerOrder);
    expect(events.map((e) => e.seq)).toEqual(seqs);
  });

  test("with Redis restarted (its data kept, its scripts gone) between pages, nothing is lost", async () => {
    const { events } = await pullAll(async (page) => {
      if (page === 2 || page === 4) await server.restart({ keepData: true });
    });
    expect(events.map((e) => e.origin.updateWebhookId)).toEqual(ledgerOrder);
    // Every row once, in ledger order, seqs rising; not necessarily without a gap. The restarts
    // are SIGKILLs, and the poller appends a page while it reads the next: a kill can cut the
    // AOF's write of an append's MULTI block. Redis 7.0 then truncates the file inside the
    // block, and the next restart replays those first commands with the block after them
    // (valkey-io/valkey#4342): the seq counter runs ahead by a few (README, "Redis faults").
    const logged = events.map((e) => e.seq);
    expect(logged).toEqual([...logged].sort((a, b) => a - b));
    expect(new Set(logged).size).toBe(ROWS);
  });
});
