import type { Poller } from "../ingest/poller.js";
import type { OdooState } from "../odoo/odoo-health.js";

/** A tenant whose Odoo this node's pull finds failing, as `/readyz` reports it. */
export interface Degraded {
  tenant: string;
  odoo: Exclude<OdooState, "up">;
  /** Since when (ISO 8601). */
  since: string;
  /** What Odoo answered. */
  error: string | undefined;
}

/**
 * The tenants whose Odoo fails, as seen by the node that pulls each. They do not make the node
 * unready: it still takes pushes and serves devices, and every node shares the same Odoo, so
 * a 503 would take them all out of the load balancer for an Odoo problem. Alerts page instead.
 */
export function degradedTenants(pollers: ReadonlyMap<string, Poller>): Degraded[] {
  return [...pollers].flatMap(([tenant, poller]) => {
    const status = poller.odoo.status;
    if (status === undefined || status.state === "up") return [];
    const since = new Date(status.since).toISOString();
    return [{ tenant, odoo: status.state, since, error: status.error }];
  });
}
