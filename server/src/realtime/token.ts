import { issuesText, TokenClaims } from "@odoo-live/protocol";
import jsonwebtoken from "jsonwebtoken";
import type { JwtConfig } from "../config/config.js";

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; code: "token_invalid" | "token_expired"; message: string };

/** Verifies with the one algorithm the configuration pins; `exp` is required. */
export function verifyToken(token: string, jwt: JwtConfig): TokenCheck {
  let payload: string | jsonwebtoken.JwtPayload;
  try {
    payload = jsonwebtoken.verify(token, jwt.key, {
      algorithms: [jwt.algorithm],
      ...(jwt.issuer === undefined ? {} : { issuer: jwt.issuer }),
      ...(jwt.audience === undefined ? {} : { audience: jwt.audience }),
    });
  } catch (error) {
    if (error instanceof jsonwebtoken.TokenExpiredError) {
      return { ok: false, code: "token_expired", message: "token expired" };
    }
    return {
      ok: false,
      code: "token_invalid",
      message: `token rejected: ${(error as Error).message}`,
    };
  }
  if (typeof payload === "string")
    return { ok: false, code: "token_invalid", message: "token payload is not a JSON object" };
  if (payload.exp === undefined)
    return { ok: false, code: "token_invalid", message: "token has no exp claim" };
  const claims = TokenClaims.safeParse(payload);
  if (!claims.success) {
    const detail = issuesText(claims.error);
    return { ok: false, code: "token_invalid", message: `token claims invalid: ${detail}` };
  }
  return { ok: true, claims: claims.data };
}
