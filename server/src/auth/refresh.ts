import type { TokenPair } from "@odoo-live/protocol";
import { HttpError, rateLimited } from "../http/http-error.js";
import type { DeviceKey } from "../state/device-store.js";
import { orUnavailable, type AuthDeps, type TenantSignin } from "./auth-deps.js";
import { newSecret, parseRefreshToken, secretDigest } from "./refresh-token.js";
import { tokenPair } from "./token-pair.js";

const INVALID = "refresh token unknown, expired, reused or revoked: sign in again";

/**
 * `POST /auth/refresh`: the device's current refresh token for a new pair. Odoo is asked again
 * before the token is rotated, so that a refresh that cannot reach Odoo (503) leaves the token
 * usable; a user Odoo no longer lets in (archived, or may read none of the models) ends the chain.
 */
export async function refresh(
  deps: AuthDeps,
  tenant: string,
  signin: TenantSignin,
  token: string,
): Promise<TokenPair> {
  const { device, secret } = chainOf(tenant, token);
  await current(deps, device, secret);
  const verdict = await deps.limits.odooVerdict(tenant);
  if (!verdict.ok)
    throw rateLimited(verdict.retryAfterMs, "Odoo refused too many authentications: retry later");
  const identity = await orUnavailable(deps, tenant, "odoo", () =>
    signin.odoo.identity(device.uid),
  );
  if (identity === null || identity.models.length === 0) {
    await orUnavailable(deps, tenant, "store", () => deps.refresh.revoke(device));
    const reason = identity === null ? "archived" : "may read none of the sign-in models";
    deps.logger.warn({ ...device, reason }, "refresh refused and the device's chain revoked");
    throw new HttpError(401, "refresh_invalid", INVALID);
  }
  const next = newSecret();
  await current(deps, device, secret, secretDigest(next));
  deps.logger.debug({ ...device, models: identity.models }, "token refreshed");
  return tokenPair(deps, signin, identity, device, next);
}

/** `POST /auth/logout`: ends the token's chain. Says nothing about whether it was valid. */
export async function logout(deps: AuthDeps, tenant: string, token: string): Promise<void> {
  const parsed = parseRefreshToken(token);
  if (parsed === undefined || parsed.device.tenant !== tenant) return;
  const { device, secret } = parsed;
  const checked = await orUnavailable(deps, tenant, "store", () =>
    deps.refresh.check(device, secretDigest(secret)),
  );
  if (checked.status === "valid")
    await orUnavailable(deps, tenant, "store", () => deps.refresh.revoke(device));
  deps.logger.info({ ...device, status: checked.status }, "signed out");
}

function chainOf(tenant: string, token: string) {
  const parsed = parseRefreshToken(token);
  // A token of another tenant is refused before it can touch (and end) a chain here.
  if (parsed === undefined || parsed.device.tenant !== tenant)
    throw new HttpError(401, "refresh_invalid", INVALID);
  return parsed;
}

/** Checks (or, with `next`, rotates) the presented secret; anything but current is a 401. */
async function current(deps: AuthDeps, device: DeviceKey, secret: string, next?: string) {
  const digest = secretDigest(secret);
  const checked = await orUnavailable(deps, device.tenant, "store", () =>
    next === undefined
      ? deps.refresh.check(device, digest)
      : deps.refresh.rotate(device, digest, next),
  );
  if (checked.status === "valid") return;
  if (checked.status === "reused")
    deps.logger.warn(device, "refresh token reused (a copy is in other hands): chain revoked");
  throw new HttpError(401, "refresh_invalid", INVALID);
}
