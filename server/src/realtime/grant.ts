import type { ErrorCode } from "@odoo-live/protocol";
import type { Config } from "../config/config.js";
import { verifyToken } from "./token.js";

/** What a token lets a session do, and until when. */
export interface Grant {
  tenant: string;
  uid: number;
  /** Models the token allows (`*`: every model). */
  allowed: "*" | ReadonlySet<string>;
  /** The token's `exp`, in ms since the epoch: the session ends then unless refreshed. */
  expiresAt: number;
}

export type GrantCheck =
  { ok: true; grant: Grant } | { ok: false; code: ErrorCode; message: string };

/**
 * Verifies a token exactly as the handshake does (pinned algorithm, `exp` required, claims as the
 * protocol's schema) for a tenant this hub serves. A refresh passes the session's grant as
 * `current`: the new token must name the same tenant and user.
 */
export function checkGrant(token: string, config: Config, current?: Grant): GrantCheck {
  const verified = verifyToken(token, config.jwt);
  if (!verified.ok) return verified;
  const { tenant, uid, models, exp } = verified.claims;
  if (!config.tenants.has(tenant))
    return { ok: false, code: "unknown_tenant", message: `unknown tenant: ${tenant}` };
  if (current !== undefined && (current.tenant !== tenant || current.uid !== uid)) {
    const message = `a refreshed token must name the session's tenant and user (${current.tenant}, uid ${current.uid})`;
    return { ok: false, code: "token_invalid", message };
  }
  const allowed = models === "*" ? "*" : new Set(models);
  return { ok: true, grant: { tenant, uid, allowed, expiresAt: exp * 1000 } };
}
