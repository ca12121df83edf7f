import type { TokenPair } from "@odoo-live/protocol";
import type { OdooIdentity } from "../odoo/odoo-signin.js";
import type { DeviceKey } from "../state/device-store.js";
import type { AuthDeps, TenantSignin } from "./auth-deps.js";
import { mintToken } from "./mint.js";
import { formatRefreshToken } from "./refresh-token.js";

/** The answer to a sign-in or a refresh: an access token for `identity`, and the next secret. */
export function tokenPair(
  deps: AuthDeps,
  signin: TenantSignin,
  identity: OdooIdentity,
  device: DeviceKey,
  secret: string,
): TokenPair {
  const { accessTtlS, refreshTtlS } = signin.settings;
  const { uid, models, companies } = identity;
  const claims = { uid, tenant: device.tenant, models, companies };
  return {
    accessToken: mintToken(deps.jwt, claims, accessTtlS),
    refreshToken: formatRefreshToken({ device, secret }),
    expiresIn: accessTtlS,
    refreshExpiresIn: refreshTtlS,
    uid,
    models,
    companies,
  };
}
