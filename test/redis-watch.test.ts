/**
 * A Redis outage as the operator sees it: each connection logs that it was lost, that it is
 * reconnecting and that it is ready again, once each however many attempts it takes, and
 * `odoo_live_redis_up` / `odoo_live_ready` follow.
 */
import { describe, expect, it } from "vitest";
import { startTestHub } from "./helpers/hub.js";
import { captureLogger } from "./helpers/log-capture.js";
import { redisSkipReason, startRedis, uniquePrefix } from "./helpers/redis.js";
import { waitFor } from "./helpers/wait.js";

describe.skipIf(redisSkipReason() !== undefined)("Redis connection changes", () => {
  it("are logged once per change and per connection, and shown in the gauges", async () => {
    const redis = await startRedis();
    const { logger, lines } = captureLogger("info");
    const hub = await startTestHub(
      { REDIS_URL: redis.url, HUB_REDIS_PREFIX: uniquePrefix() },
      { logger },
    );
    const metrics = async () => (await fetch(`${hub.url}/metrics`)).text();
    expect(await metrics()).toContain('odoo_live_redis_up{connection="main"} 1');
    const outage = redis.restart({ keepData: true, downMs: 1500 });
    await waitFor(
      async () => (await metrics()).includes('odoo_live_redis_up{connection="main"} 0'),
      {
        what: "redis_up 0",
      },
    );
    expect(await metrics()).toContain("odoo_live_ready 0");
    await outage;
    const connections = ["main", "log", "adapter"];
    await waitFor(
      () => lines().filter((l) => l.msg === "redis connection ready").length === connections.length,
      { timeoutMs: 10_000, what: "every connection ready again" },
    );
    for (const msg of ["redis connection lost", "redis reconnecting", "redis connection ready"]) {
      const said = lines()
        .filter((l) => l.msg === msg)
        .map((l) => l["connection"]);
      expect(said.sort(), msg).toEqual([...connections].sort());
    }
    const back = lines().find(
      (l) => l.msg === "redis connection ready" && l["connection"] === "main",
    );
    expect(back?.["attempts"]).toBeGreaterThan(1);
    expect(lines().filter((l) => l.level >= 50)).toEqual([]);
    await waitFor(async () => (await metrics()).includes("odoo_live_ready 1"), { what: "ready" });
    expect(await metrics()).toContain('odoo_live_redis_up{connection="adapter"} 1');
  });
});
