import { hash, timingSafeEqual } from "node:crypto";
import type { PushSettings } from "../config/tenants.js";

export type HeaderReader = (name: string) => string | undefined;

/**
 * Odoo's subscriber sends its secret as `Authorization: Bearer <token>`, `Authorization: Basic
 * <auth_token>` (inserted verbatim; by convention base64 of `user:password`) or in an API-key
 * header; with no token set, the instant path sends the literal `Bearer False`.
 */
function presentedSecrets(header: HeaderReader, apiKeyHeader: string): string[] {
  const secrets: string[] = [];
  const authorization = header("authorization")?.trim() ?? "";
  const [scheme = "", value = ""] = authorization.split(/\s+/, 2);
  if (/^bearer$/i.test(scheme) && value !== "" && value !== "False") secrets.push(value);
  if (/^basic$/i.test(scheme) && value !== "") secrets.push(value, ...basicPassword(value));
  const apiKey = header(apiKeyHeader)?.trim();
  if (apiKey !== undefined && apiKey !== "" && apiKey !== "False") secrets.push(apiKey);
  return secrets;
}

function basicPassword(value: string): string[] {
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon >= 0 ? [decoded.slice(colon + 1)] : [];
}

// One-shot: `hash` builds no Hash object (see native-hash.ts); a push checks one or two secrets.
const digest = (s: string) => hash("sha256", s, "buffer");

/** Compares digests so that neither content nor length leaks through timing. */
export function secretEquals(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The configured push tokens' digests, made once (tenants are configured, so it is bounded). */
const tokenDigests = new Map<string, Buffer>();

function matchesToken(presented: string, token: string): boolean {
  let expected = tokenDigests.get(token);
  if (expected === undefined) {
    expected = digest(token);
    tokenDigests.set(token, expected);
  }
  return timingSafeEqual(digest(presented), expected);
}

export type PushAuth = { ok: true } | { ok: false; message: string };

export function checkPushAuth(header: HeaderReader, settings: PushSettings): PushAuth {
  const secrets = presentedSecrets(header, settings.header);
  if (secrets.length === 0) {
    if (settings.allowUnauthenticated) return { ok: true };
    return {
      ok: false,
      message: `push credentials missing: send the tenant's push token as Authorization: Bearer, Basic or ${settings.header}`,
    };
  }
  const token = settings.token;
  if (token === undefined) return { ok: true };
  // Check every presented secret so the time taken does not reveal which form matched.
  const matches = secrets.map((s) => matchesToken(s, token));
  return matches.includes(true)
    ? { ok: true }
    : { ok: false, message: "push credentials rejected" };
}
