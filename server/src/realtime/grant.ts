import type { ErrorCode, ModelDomains } from "@odoo-live/protocol";
import type { Config } from "../config/config.js";
import { DomainError } from "../routing/domain.js";
import { ruleSet } from "../routing/rules.js";
import { verifyToken } from "./token.js";

/** What a token lets a session do, and until when. */
export interface Grant {
  tenant: string;
  uid: number;
  /** Models the token allows (`*`: every model). */
  allowed: "*" | ReadonlySet<string>;
  /** The token's `exp`, in ms since the epoch: the session ends then unless refreshed. */
  expiresAt: number;
  /** Record rules of the token: `res.company` ids, and per model a domain (checked). */
  companies: readonly number[] | undefined;
  domains: ModelDomains | undefined;
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
  const { tenant, uid, models, exp, companies, domains } = verified.claims;
  if (!config.tenants.has(tenant))
    return { ok: false, code: "unknown_tenant", message: `unknown tenant: ${tenant}` };
  if (current !== undefined && (current.tenant !== tenant || current.uid !== uid)) {
    const message = `a refreshed token must name the session's tenant and user (${current.tenant}, uid ${current.uid})`;
    return { ok: false, code: "token_invalid", message };
  }
  try {
    ruleSet({ companies, domains });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { ok: false, code: "token_invalid", message: `token domains: ${error.message}` };
  }
  const allowed = models === "*" ? "*" : new Set(models);
  return {
    ok: true,
    grant: { tenant, uid, allowed, expiresAt: exp * 1000, companies, domains },
  };
}
