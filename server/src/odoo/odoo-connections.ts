import type { OdooSettings } from "../config/tenants.js";
import type { Ledger } from "./ledger.js";
import { RestLedger } from "./ledger-rest.js";
import { RpcLedger } from "./ledger-rpc.js";
import { OdooClient } from "./odoo-client.js";

/** What the hub can do with one tenant's Odoo, given the credentials it was configured with. */
export interface OdooConnection {
  /** The REST API (pull, mark-processed, sync-state); needs `webhook.api_key`. */
  client: OdooClient | undefined;
  /** The ledger: JSON-RPC when a user key is set (it sees processed rows too), else REST. */
  ledger: Ledger | undefined;
}

export function connectOdoo(settings: OdooSettings): OdooConnection {
  const endpoint = { url: settings.url, db: settings.db, timeoutMs: settings.timeoutMs };
  const client =
    settings.apiKey === undefined ? undefined : new OdooClient(endpoint, settings.apiKey);
  const rpc = settings.rpc;
  const ledger =
    rpc !== undefined && settings.db !== undefined
      ? new RpcLedger(endpoint, { db: settings.db, ...rpc })
      : client === undefined
        ? undefined
        : new RestLedger(client);
  return { client, ledger };
}
