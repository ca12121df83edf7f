import jsonwebtoken from "jsonwebtoken";
import type { TokenClaims } from "@odoo-live/protocol";
import type { JwtConfig } from "../config/config.js";

/** The claims the hub puts in a token it mints (the schema's, without what signing adds). */
export type MintedClaims = Pick<TokenClaims, "uid" | "tenant" | "models" | "companies">;

/**
 * A hub JWT with the pinned algorithm and the configured `iss`/`aud`, so that the hub's own
 * handshake accepts it. Throws when the configuration has no signing key (start-up refuses that
 * for tenants with sign-in).
 */
export function mintToken(jwt: JwtConfig, claims: MintedClaims, ttlS: number): string {
  if (jwt.signingKey === undefined)
    throw new Error("no signing key: set JWT_PRIVATE_KEY next to JWT_PUBLIC_KEY");
  return jsonwebtoken.sign(claims, jwt.signingKey, {
    algorithm: jwt.algorithm,
    expiresIn: ttlS,
    ...(jwt.issuer === undefined ? {} : { issuer: jwt.issuer }),
    ...(jwt.audience === undefined ? {} : { audience: jwt.audience }),
  });
}
