import type { Registry } from "prom-client";
import { ODOO_STATES } from "../odoo/odoo-health.js";
import { scrapedGauge } from "../ops/scraped.js";
import type { Poller } from "./poller.js";

/**
 * Each tenant's Odoo state and pull progress, as this node sees them: only the node that pulls a
 * tenant has them (the others have no sample), so alerts take the min or max over nodes.
 */
export function registerPullGauges(registry: Registry, pollers: ReadonlyMap<string, Poller>) {
  const known = () =>
    [...pollers].flatMap(([tenant, poller]) => {
      const status = poller.odoo.status;
      return status === undefined ? [] : [{ tenant, state: status.state }];
    });
  const pulling = () =>
    [...pollers].flatMap(([tenant, { progress }]) =>
      progress === undefined ? [] : [{ tenant, progress }],
    );
  scrapedGauge(registry, {
    name: "odoo_live_odoo_up",
    help: "1 while the tenant's Odoo answers this node's pull, else 0 (no sample where it is not pulled)",
    labelNames: ["tenant"],
    fill: (set) => known().forEach(({ tenant, state }) => set({ tenant }, state === "up" ? 1 : 0)),
  });
  scrapedGauge(registry, {
    name: "odoo_live_odoo_state",
    help: "1 for the tenant's Odoo state as this node's pull sees it, 0 for the other states",
    labelNames: ["tenant", "state"],
    fill: (set) =>
      known().forEach(({ tenant, state: current }) => {
        for (const state of ODOO_STATES) set({ tenant, state }, state === current ? 1 : 0);
      }),
  });
  scrapedGauge(registry, {
    name: "odoo_live_pull_lag_seconds",
    help: "Seconds since this node's pull last read to the end of the tenant's ledger",
    labelNames: ["tenant"],
    fill: (set) =>
      pulling().forEach(({ tenant, progress }) => set({ tenant }, progress.lagSeconds())),
  });
  scrapedGauge(registry, {
    name: "odoo_live_pull_ids_behind",
    help: "Ledger ids between the last row pulled and Odoo's newest: an upper bound on the rows behind, measured at most every 10 s while behind",
    labelNames: ["tenant"],
    fill: (set) =>
      pulling().forEach(({ tenant, progress }) => set({ tenant }, progress.idsBehind())),
  });
}
