import { closeSync, openSync, readdirSync } from "node:fs";
import { collectDefaultMetrics, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { countOpenFdsOffLoop } from "../src/ops/open-fds.js";

async function scraped(registry: Registry): Promise<number> {
  const line = (await registry.metrics())
    .split("\n")
    .find((l) => l.startsWith("process_open_fds "));
  return Number(line?.split(" ")[1]);
}

describe.skipIf(process.platform !== "linux")("process_open_fds", () => {
  it("counts this process's descriptors, as prom-client's own did, and follows them", async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    countOpenFdsOffLoop(registry);
    expect(registry.getMetricsAsArray().filter((m) => m.name === "process_open_fds")).toHaveLength(
      1,
    );

    // readdirSync's own descriptor is in its listing, as the counter's is in its own.
    const before = await scraped(registry);
    expect(Math.abs(before - (readdirSync("/proc/self/fd").length - 1))).toBeLessThanOrEqual(2);
    const opened = Array.from({ length: 300 }, () => openSync("/dev/null", "r"));
    try {
      expect((await scraped(registry)) - before).toBe(300);
    } finally {
      for (const fd of opened) closeSync(fd);
    }
    expect(await scraped(registry)).toBe(before);
  });
});
