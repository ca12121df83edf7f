import type { SignInRequest, TokenPair } from "@odoo-live/protocol";
import type { z } from "zod";
import { HttpError, rateLimited } from "../http/http-error.js";
import { orUnavailable, type AuthDeps, type TenantSignin } from "./auth-deps.js";
import { newSecret, secretDigest } from "./refresh-token.js";
import { tokenPair } from "./token-pair.js";

export type ParsedSignIn = z.infer<typeof SignInRequest>;

/**
 * One answer for every refusal, so that nobody learns whether a login exists, a password was
 * wrong, or the user may read nothing here: the log says which, without the secret.
 */
const REFUSED = "sign-in failed: wrong login, password or API key, or no access to this hub";

/**
 * `POST /auth/odoo`: checks the credentials with the tenant's Odoo, reads who the user is and
 * what they may read, starts the device's refresh chain and answers a token pair.
 */
export async function signIn(
  deps: AuthDeps,
  tenant: string,
  signin: TenantSignin,
  request: ParsedSignIn,
  address: string,
): Promise<TokenPair> {
  const method = request.password === undefined ? "apiKey" : "password";
  const admission = await deps.limits.admit(tenant, address, request.login);
  if (!admission.ok) {
    deps.logger.warn(
      { tenant, address, limit: admission.limit },
      "sign-in refused: too many failures",
    );
    throw rateLimited(admission.retryAfterMs, "too many failed sign-ins: retry later");
  }
  const { attempt } = admission;
  const secret = request.password ?? request.apiKey ?? "";
  let uid: number | null;
  try {
    uid = await orUnavailable(deps, tenant, "odoo", () =>
      signin.odoo.authenticate(request.login, secret),
    );
  } catch (error) {
    await attempt.release();
    throw error;
  }
  if (uid === null) {
    await attempt.failed();
    deps.logger.warn({ tenant, address, method }, "sign-in refused: Odoo rejected the credentials");
    throw new HttpError(401, "signin_failed", REFUSED);
  }
  await attempt.release();
  const identity = await orUnavailable(deps, tenant, "odoo", () => signin.odoo.identity(uid));
  if (identity === null || identity.models.length === 0) {
    const reason = identity === null ? "archived" : "may read none of the sign-in models";
    deps.logger.warn({ tenant, uid, reason }, "sign-in refused: no access");
    throw new HttpError(401, "signin_failed", REFUSED);
  }
  const device = { tenant, uid, deviceId: request.deviceId };
  const next = newSecret();
  await orUnavailable(deps, tenant, "store", () =>
    deps.refresh.start(device, secretDigest(next), request.appType),
  );
  const { models, companies } = identity;
  const fields = { tenant, uid, deviceId: request.deviceId, appType: request.appType, method };
  deps.logger.info({ ...fields, models, companies }, "signed in with Odoo");
  return tokenPair(deps, signin, identity, device, next);
}
