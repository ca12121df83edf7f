import { loadConfig } from "../config/config.js";
import { PushSettings, type Tenant } from "../config/tenants.js";
import type { DoctorArgs } from "./doctor-args.js";

/** One deployment to check: a tenant's Odoo and what the hub expects from it. */
export interface DoctorTarget {
  tenant: string;
  odoo: { url: string; db: string | undefined; apiKey: string | undefined; timeoutMs: number };
  /** An Odoo user to read the module's records with. */
  rpc: { login: string; password: string } | { uid: number; key: string } | undefined;
  /** How the hub checks pushes; undefined when unknown (no --push-token with --odoo-url). */
  push: PushSettings | undefined;
  /** The subscriber's expected endpoint, when the hub's address is known. */
  pushUrl: string | undefined;
  models: string[];
  syncUid: number | undefined;
}

/**
 * From the command line alone when it names an Odoo; else from the hub's configuration, one
 * target per tenant that has an Odoo (or the one `--tenant` names).
 */
export function doctorTargets(args: DoctorArgs, env: NodeJS.ProcessEnv): DoctorTarget[] {
  const tenant = args.tenant ?? "default";
  if (args["odoo-url"] !== undefined) {
    const push =
      args["push-token"] === undefined
        ? undefined
        : PushSettings.parse({ token: args["push-token"], header: args["push-header"] });
    const odoo = { url: args["odoo-url"], db: args.db, apiKey: args["api-key"] };
    return [target(args, tenant, odoo, undefined, push)];
  }
  const tenants = [...loadConfig(env).tenants].filter(
    ([id, t]) => t.odoo !== undefined && (args.tenant === undefined || id === args.tenant),
  );
  if (tenants.length === 0)
    throw new Error(
      args.tenant === undefined
        ? "the hub's configuration names no Odoo (set ODOO_URL or a tenant's odoo in HUB_TENANTS_FILE), or give --odoo-url"
        : `tenant ${args.tenant}: the hub's configuration has no such tenant with an Odoo`,
    );
  return tenants.map(([id, t]) => {
    const odoo = t.odoo as NonNullable<Tenant["odoo"]>;
    return target(args, id, odoo, odoo.rpc, t.push);
  });
}

function target(
  args: DoctorArgs,
  tenant: string,
  odoo: { url: string; db?: string | undefined; apiKey?: string | undefined },
  configuredRpc: { uid: number; key: string } | undefined,
  push: PushSettings | undefined,
): DoctorTarget {
  const login = args["rpc-login"];
  const password = args["rpc-password"];
  const uid = args["rpc-uid"];
  const key = args["rpc-key"];
  const rpc =
    login !== undefined && password !== undefined
      ? { login, password }
      : uid !== undefined && key !== undefined
        ? { uid, key }
        : configuredRpc;
  const path = tenant === "default" ? "/webhooks/odoo" : `/webhooks/odoo/${tenant}`;
  return {
    tenant,
    odoo: { url: odoo.url, db: odoo.db, apiKey: odoo.apiKey, timeoutMs: args["timeout-ms"] },
    rpc,
    push,
    pushUrl:
      args["hub-url"] === undefined ? undefined : `${args["hub-url"].replace(/\/+$/, "")}${path}`,
    models: args.models ?? [],
    syncUid: args["sync-uid"],
  };
}
