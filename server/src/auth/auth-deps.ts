import type { JwtConfig } from "../config/config.js";
import type { SigninSettings, Tenant } from "../config/tenants.js";
import { OdooError } from "../odoo/odoo-error.js";
import { OdooSignin } from "../odoo/odoo-signin.js";
import type { Logger } from "../ops/logger.js";
import { HttpError } from "../http/http-error.js";
import type { RefreshStore } from "../state/refresh-store.js";
import type { SigninLimits } from "./signin-limits.js";

/** One tenant's sign-in: its settings and its Odoo. */
export interface TenantSignin {
  settings: SigninSettings;
  odoo: OdooSignin;
}

export interface AuthDeps {
  /** The tenants that enable sign-in. */
  signins: ReadonlyMap<string, TenantSignin>;
  refresh: RefreshStore;
  jwt: JwtConfig;
  limits: SigninLimits;
  logger: Logger;
}

export function createSignins(tenants: ReadonlyMap<string, Tenant>): Map<string, TenantSignin> {
  return new Map(
    [...tenants].flatMap(([id, { odoo }]) => {
      const signin = odoo?.signin;
      const rpc = signin?.rpc ?? odoo?.rpc;
      // The tenants schema requires db and an account with signin; this only narrows the types.
      if (odoo?.db === undefined || signin === undefined || rpc === undefined) return [];
      const account = { url: odoo.url, db: odoo.db, timeoutMs: odoo.timeoutMs, rpc };
      return [[id, { settings: signin, odoo: new OdooSignin(account, signin) }]];
    }),
  );
}

/**
 * Runs a call to Odoo or to the refresh store; any failure is a 503 (the client retries later)
 * and is logged. Odoo refusing the service account also counts against the tenant's Odoo limit:
 * Odoo's lockout counts those failures as well.
 */
export async function orUnavailable<T>(
  deps: AuthDeps,
  tenant: string,
  what: "odoo" | "store",
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const refused = error instanceof OdooError && error.kind === "auth";
    if (refused) await deps.limits.odooFailed(tenant);
    const message = refused
      ? "Odoo refused sign-in's account (odoo.signin.rpc, or odoo.rpc)"
      : what === "odoo"
        ? "sign-in could not ask Odoo"
        : "sign-in could not reach the refresh store";
    deps.logger.error({ err: error, tenant }, message);
    throw new HttpError(
      503,
      "unavailable",
      `${what === "odoo" ? "Odoo" : "the hub's store"} cannot be reached; retry later`,
    );
  }
}
