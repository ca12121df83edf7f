import { createPrivateKey, type KeyObject } from "node:crypto";
import jsonwebtoken from "jsonwebtoken";
import type { JwtConfig } from "./config.js";
import type { Tenant } from "./tenants.js";

/**
 * JWT_PRIVATE_KEY, checked against the public key the hub verifies with: a key of another type,
 * curve or pair would mint tokens the hub itself refuses, so start-up stops instead.
 */
export function privateKeyFor(
  pem: string | undefined,
  verify: Omit<JwtConfig, "signingKey">,
  problems: string[],
): KeyObject | undefined {
  if (pem === undefined) return undefined;
  let key: KeyObject;
  try {
    key = createPrivateKey(pem.replace(/\\n/g, "\n"));
  } catch (error) {
    problems.push(`JWT_PRIVATE_KEY: not a PEM private key (${(error as Error).message})`);
    return undefined;
  }
  try {
    const probe = jsonwebtoken.sign({ probe: true }, key, { algorithm: verify.algorithm });
    jsonwebtoken.verify(probe, verify.key, { algorithms: [verify.algorithm] });
    return key;
  } catch {
    problems.push(
      `JWT_PRIVATE_KEY: does not pair with JWT_PUBLIC_KEY (${verify.algorithm}): tokens it signs would be refused`,
    );
    return undefined;
  }
}

/** Sign-in mints tokens: a tenant that enables it needs a key to sign them with. */
export function checkCanSign(
  jwt: JwtConfig,
  tenants: ReadonlyMap<string, Tenant>,
  problems: string[],
): void {
  if (jwt.signingKey !== undefined) return;
  const signing = [...tenants].filter(([, t]) => t.odoo?.signin !== undefined).map(([id]) => id);
  if (signing.length === 0) return;
  problems.push(
    `JWT_PRIVATE_KEY: required with JWT_PUBLIC_KEY when sign-in is enabled (tenant ${signing.join(", ")}): the hub signs the tokens it mints`,
  );
}
