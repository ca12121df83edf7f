import {
  HandshakeAuth,
  issuesText,
  type ErrorCode,
  type ModelDomains,
  type ParsedHandshakeAuth,
} from "@odoo-live/protocol";
import type { ExtendedError } from "socket.io";
import type { Config } from "../config/config.js";
import { decodeCursor, decodeLedgerCursor } from "../log/position.js";
import { clientAddress } from "../ops/client-address.js";
import type { Metrics } from "../ops/metrics.js";
import type { ThrottledLog } from "../ops/throttled-log.js";
import type { ConnectLimiter } from "./connect-limiter.js";
import { DomainError } from "../routing/domain.js";
import { ruleSet } from "../routing/rules.js";
import { checkGrant, type Grant } from "./grant.js";
import type { HubSocket } from "./types.js";

/** A `connect_error` whose `message` says why and whose `data.code` is from the catalogue. */
export function connectError(code: ErrorCode, message: string): ExtendedError {
  const error: ExtendedError = new Error(message);
  error.data = { code };
  return error;
}

/** What a handshake established: the device, its token's grant, and what it asked for. */
export interface HandshakeFacts {
  grant: Grant;
  deviceId: string;
  appType: ParsedHandshakeAuth["appType"];
  /** The handshake's cursor, if any (already checked to be well-formed). */
  cursor: string | undefined;
  /** The handshake's models, if any: they replace the device's stored set (with `where`). */
  requestedModels: string[] | undefined;
  where: ModelDomains | undefined;
  /** Replay only each record's latest event of what the device missed. */
  compact: boolean | undefined;
}

type Check = { ok: true; facts: HandshakeFacts } | { ok: false; error: ExtendedError };

/**
 * Runs before `connection`: nothing reaches a socket whose handshake failed (counted, and logged
 * with its code and address, rate limited per code). The facts are kept until the connection's
 * session takes them (`factsOf`).
 */
export function handshakeMiddleware(
  config: Config,
  metrics: Metrics,
  limiter: ConnectLimiter,
  notices: ThrottledLog,
) {
  return (socket: HubSocket, next: (error?: ExtendedError) => void) => {
    void limiter.admit(socket.handshake.headers, socket.handshake.address).then((admitted) => {
      const check: Check = admitted
        ? checkHandshake(socket.handshake.auth, config)
        : {
            ok: false,
            error: connectError(
              "rate_limited",
              "too many connection attempts from this address; retry later",
            ),
          };
      if (!check.ok) {
        const code = (check.error.data as { code: string }).code;
        metrics.rejectedConnections.inc({ code });
        const { headers, address } = socket.handshake;
        const client = clientAddress(headers["x-forwarded-for"], address, config.trustProxy);
        const refused = { code, address: client, reason: check.error.message };
        notices.warn(code, refused, "handshake refused");
        next(check.error);
        return;
      }
      const { grant, deviceId } = check.facts;
      socket.data = { tenant: grant.tenant, uid: grant.uid, deviceId };
      pending.set(socket, check.facts);
      next();
    });
  };
}

const pending = new WeakMap<HubSocket, HandshakeFacts>();

/** The facts of a socket that passed the handshake (once: the session owns them from then on). */
export function factsOf(socket: HubSocket): HandshakeFacts {
  const facts = pending.get(socket);
  if (facts === undefined) throw new Error(`socket ${socket.id} has no handshake facts`);
  pending.delete(socket);
  return facts;
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
  if (!parsed.success) return fail("invalid_handshake", issuesText(parsed.error, "auth"));
  const checked = checkGrant(token, config);
  if (!checked.ok) return fail(checked.code, checked.message);
  const { cursor, deviceId, appType, models, where, compact } = parsed.data;
  if (cursor !== undefined && !isCursor(cursor)) {
    return fail("invalid_cursor", "auth.cursor is not a cursor this hub issued");
  }
  try {
    ruleSet({ where });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return fail("invalid_handshake", `auth.where: ${error.message}`);
  }
  const requestedModels = models;
  return {
    ok: true,
    facts: { grant: checked.grant, deviceId, appType, cursor, requestedModels, where, compact },
  };
}

function isCursor(cursor: string): boolean {
  return decodeCursor(cursor) !== undefined || decodeLedgerCursor(cursor) !== undefined;
}
