import { opendir } from "node:fs/promises";
import type { Registry } from "prom-client";
import { scrapedGauge } from "./scraped.js";

const NAME = "process_open_fds";

/**
 * Replaces prom-client's `process_open_fds` (same name and meaning) with one counted off the event
 * loop. prom-client lists /proc/self/fd with readdirSync at each scrape: the kernel builds that
 * listing at about a microsecond per descriptor, and a node holds one per connected device, so a
 * scrape held every delivery for 17–19 ms at 16,000 descriptors (BENCHMARKS.md, Profile,
 * "Fifth round"). An opened directory is read on libuv's threads, 256 entries at a time.
 */
export function countOpenFdsOffLoop(registry: Registry): void {
  // prom-client adds it on Linux only, where /proc/self/fd exists.
  if (registry.getSingleMetric(NAME) === undefined) return;
  registry.removeSingleMetric(NAME);
  scrapedGauge(registry, {
    name: NAME,
    help: "Number of open file descriptors.",
    labelNames: [],
    fill: async (set) => {
      const count = await openFds();
      if (count !== undefined) set({}, count);
    },
  });
}

async function openFds(): Promise<number | undefined> {
  let entries = 0;
  try {
    for await (const _entry of await opendir("/proc/self/fd", { bufferSize: 256 })) entries++;
  } catch {
    return undefined;
  }
  // The listing holds a descriptor of its own while it is read.
  return entries - 1;
}
