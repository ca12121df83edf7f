import { readFileSync } from "node:fs";
import type { Registry } from "prom-client";
import type { RedisWatch } from "./redis-watch.js";
import { scrapedGauge } from "./scraped.js";

/** Readiness, the Redis connections' state and the build (the hub's version, Node's). */
export function registerProcessGauges(
  registry: Registry,
  redis: readonly RedisWatch[],
  ready: () => Promise<boolean>,
) {
  scrapedGauge(registry, {
    name: "odoo_live_ready",
    help: "1 while /readyz answers 200 (not starting, not draining, Redis answering), else 0",
    labelNames: [],
    fill: async (set) => set({}, (await ready()) ? 1 : 0),
  });
  scrapedGauge(registry, {
    name: "odoo_live_redis_up",
    help: "1 while the Redis connection is ready, else 0, by connection (main, log, adapter); no sample without Redis",
    labelNames: ["connection"],
    fill: (set) =>
      redis.forEach((watch) => set({ connection: watch.connection }, watch.up ? 1 : 0)),
  });
  const build = { version: serverVersion(), node_version: process.version };
  scrapedGauge(registry, {
    name: "odoo_live_build_info",
    help: "Always 1; its labels name the hub's version and the Node.js version",
    labelNames: ["version", "node_version"],
    fill: (set) => set(build, 1),
  });
}

function serverVersion(): string {
  // server/package.json, from src/ops (tests) and from dist/ops alike.
  const manifest = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(manifest) as { version: string }).version;
}
