import type { Registry } from "prom-client";
import { scrapedCounter, scrapedGauge } from "../ops/scraped.js";
import type { SyncStateMirror } from "./sync-state-mirror.js";

/** What each tenant's `user.sync.state` mirror wrote, failed to write, dropped, and holds. */
export function registerMirrorGauges(
  registry: Registry,
  mirrors: ReadonlyMap<string, SyncStateMirror>,
) {
  scrapedGauge(registry, {
    name: "odoo_live_mirror_pending_devices",
    help: "Devices whose acknowledged position waits to be written to Odoo's user.sync.state",
    labelNames: ["tenant"],
    fill: (set) => mirrors.forEach((mirror, tenant) => set({ tenant }, mirror.stats().pending)),
  });
  scrapedCounter(registry, {
    name: "odoo_live_mirror_writes_total",
    help: "user.sync.state writes by result: written (or Odoo had it already), failed (each failed try)",
    labelNames: ["tenant", "result"],
    fill: (set) =>
      mirrors.forEach((mirror, tenant) => {
        const { written, failed } = mirror.counts();
        set({ tenant, result: "written" }, written);
        set({ tenant, result: "failed" }, failed);
      }),
  });
  scrapedCounter(registry, {
    name: "odoo_live_mirror_dropped_total",
    help: "Positions dropped unwritten, by reason: full (the queue's cap), failing (failed too long)",
    labelNames: ["tenant", "reason"],
    fill: (set) =>
      mirrors.forEach((mirror, tenant) => {
        const { droppedFull, droppedFailing } = mirror.counts();
        set({ tenant, reason: "full" }, droppedFull);
        set({ tenant, reason: "failing" }, droppedFailing);
      }),
  });
}
