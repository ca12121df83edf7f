import { HandshakeAuth, type ErrorCode } from "@odoo-live/protocol";
import type { ExtendedError } from "socket.io";
import type { Config } from "../config/config.js";
import { decodeCursor, decodeLedgerCursor } from "../log/position.js";
import type { Metrics } from "../ops/metrics.js";
import { TokenBuckets } from "../ops/token-bucket.js";
import { permitted } from "../routing/selector.js";
import { verifyToken } from "./token.js";
import type { HubSocket, SessionData } from "./types.js";

/** A `connect_error` whose `message` says why and whose `data.code` is from the catalogue. */
export function connectError(code: ErrorCode, message: string): ExtendedError {
  const error: ExtendedError = new Error(message);
  error.data = { code };
  return error;
}

type Check = { ok: true; session: SessionData } | { ok: false; error: ExtendedError };

/** Runs before `connection`: nothing reaches a socket whose handshake failed. */
export function handshakeMiddleware(config: Config, metrics: Metrics) {
  const attempts = new TokenBuckets(config.connectRate);
  return (socket: HubSocket, next: (error?: ExtendedError) => void) => {
    const check = attempts.take(clientAddress(socket, config.trustProxy))
      ? checkHandshake(socket.handshake.auth, config)
      : {
          ok: false as const,
          error: connectError(
            "rate_limited",
            "too many connection attempts from this address; retry later",
          ),
        };
    if (!check.ok) {
      metrics.rejectedConnections.inc({ code: (check.error.data as { code: string }).code });
      next(check.error);
      return;
    }
    socket.data = check.session;
    next();
  };
}

export function checkHandshake(auth: unknown, config: Config): Check {
  const fail = (code: ErrorCode, message: string): Check => ({
    ok: false,
    error: connectError(code, message),
  });
  const token = (auth as { token?: unknown } | undefined)?.token;
  if (typeof token !== "string" || token === "")
    return fail("token_missing", "auth.token is required");
  const parsed = HandshakeAuth.safeParse(auth);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) => `auth.${i.path.join(".")}: ${i.message}`)
      .join("; ");
    return fail("invalid_handshake", detail);
  }
  const verified = verifyToken(token, config.jwt);
  if (!verified.ok) return fail(verified.code, verified.message);
  const { tenant, uid, models } = verified.claims;
  if (!config.tenants.has(tenant)) return fail("unknown_tenant", `unknown tenant: ${tenant}`);
  const { cursor, deviceId, appType } = parsed.data;
  if (cursor !== undefined && !isCursor(cursor)) {
    return fail("invalid_cursor", "auth.cursor is not a cursor this hub issued");
  }
  const allowed = models === "*" ? "*" : [...models];
  const requested = parsed.data.models;
  return {
    ok: true,
    session: {
      tenant,
      uid,
      deviceId,
      appType,
      allowed,
      cursor,
      requestedModels: requested,
      models: [...permitted(requested ?? [], allowed === "*" ? "*" : new Set(allowed))],
    },
  };
}

function isCursor(cursor: string): boolean {
  return decodeCursor(cursor) !== undefined || decodeLedgerCursor(cursor) !== undefined;
}

/** Behind a load balancer every handshake comes from it: the client is in X-Forwarded-For. */
function clientAddress(socket: HubSocket, trustProxy: boolean): string {
  const forwarded = socket.handshake.headers["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return trustProxy && first !== undefined && first !== "" ? first : socket.handshake.address;
}
