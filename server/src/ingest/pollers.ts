import type { Tenant } from "../config/tenants.js";
import type { OdooConnection } from "../odoo/odoo-connections.js";
import { Poller, type PollerDeps } from "./poller.js";

/** What every tenant's poller shares (the rest of PollerDeps is per tenant). */
export type PollersDeps = Pick<
  PollerDeps,
  "ingestor" | "log" | "store" | "logger" | "metrics" | "holder" | "leaseTtlMs"
> & {
  tenants: ReadonlyMap<string, Tenant>;
  odoo: ReadonlyMap<string, OdooConnection>;
};

/** One poller per tenant whose Odoo pull is enabled and readable (it pulls while it leads). */
export function createPollers(deps: PollersDeps): Map<string, Poller> {
  const pollers = new Map<string, Poller>();
  for (const [tenant, settings] of deps.tenants) {
    const connection = deps.odoo.get(tenant);
    const pull = settings.odoo?.pull;
    if (pull?.enabled !== true || connection?.ledger === undefined) continue;
    const poller = new Poller({
      ...deps,
      tenant,
      settings: pull,
      ledger: connection.ledger,
      odoo: connection.client,
    });
    pollers.set(tenant, poller);
  }
  return pollers;
}
