import type { Tenant } from "../config/tenants.js";
import type { EventLog } from "../log/event-log.js";
import type { OdooConnection } from "../odoo/odoo-connections.js";
import type { Logger } from "../ops/logger.js";
import type { Lease } from "../state/lease.js";
import type { PullCursorStore } from "../state/pull-cursor-store.js";
import type { Ingestor } from "./ingest.js";
import { Poller } from "./poller.js";

export interface PollersDeps {
  tenants: ReadonlyMap<string, Tenant>;
  odoo: ReadonlyMap<string, OdooConnection>;
  ingestor: Ingestor;
  log: EventLog;
  cursors: PullCursorStore;
  logger: Logger;
  /** Shared by the hub nodes: one node at a time pulls each tenant. */
  lease: Lease;
  /** This node's holder id for the lease. */
  holder: string;
}

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
