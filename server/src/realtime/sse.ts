import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ErrorCode } from "@odoo-live/protocol";
import type { ConnectLimiter } from "./connect-limiter.js";
import { DeviceSession, type SessionDeps } from "./device-session.js";
import { checkHandshake } from "./handshake.js";
import { SseChannel } from "./sse-channel.js";

/** Whether a request is for the Server-Sent Events transport (`/events`, any query). */
export function isSsePath(url: string | undefined): boolean {
  return url === "/events" || url?.startsWith("/events?") === true;
}

/** What a refused SSE request is answered, per handshake code. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  token_missing: 401,
  token_invalid: 401,
  token_expired: 401,
  unknown_tenant: 404,
  rate_limited: 429,
};

/**
 * `GET /events`: the same device session as a Socket.IO connection (routing, record rules,
 * replay, `ready`/`resync`, token expiry), streamed as Server-Sent Events, for a read-only
 * dashboard with no SDK (`new EventSource(url)`, `curl -N`). The handshake comes from the query
 * (`token` or `Authorization: Bearer`, `deviceId`, `appType`, `models` comma-separated, `where`
 * as JSON, `compact`) and the cursor from `Last-Event-ID` (a browser's reconnect) or `cursor`.
 * One-way: no acks, no subscribe, no refresh; a new token means a new request.
 */
export function sseHandler(deps: SessionDeps & { limiter: ConnectLimiter }) {
  const { config, metrics, dispatcher } = deps;
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== "GET") return refuse(response, 405, "not_found", "use GET");
    if (!(await deps.limiter.admit(request.headers, request.socket.remoteAddress)))
      return refuse(response, 429, "rate_limited", "too many connections from this address");
    const check = checkHandshake(authOf(request), config);
    if (!check.ok) {
      const code = (check.error.data as { code: ErrorCode }).code;
      metrics.rejectedConnections.inc({ code });
      return refuse(response, STATUS[code] ?? 400, code, check.error.message);
    }
    response.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      // nginx and others buffer responses unless told not to.
      "X-Accel-Buffering": "no",
    });
    const channel = new SseChannel(randomUUID(), response, dispatcher.sse);
    const session = new DeviceSession(channel, check.facts, deps);
    const connection = { tenant: session.tenant, app_type: check.facts.appType };
    metrics.connections.inc(connection);
    request.on("close", () => {
      channel.close();
      session.close();
      metrics.connections.dec(connection);
      const reason = channel.reason ?? "transport_close";
      metrics.disconnects.inc({ tenant: session.tenant, reason });
    });
    session.start();
  };
}

/** The handshake `auth` a Socket.IO client would send, from the request. */
function authOf(request: IncomingMessage): Record<string, unknown> {
  const query = new URL(request.url ?? "/", "http://hub").searchParams;
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  const lastEventId = request.headers["last-event-id"];
  const models = query.get("models");
  const where = query.get("where");
  const compact = query.get("compact");
  return {
    token: bearer ?? query.get("token") ?? undefined,
    deviceId: query.get("deviceId") ?? undefined,
    appType: query.get("appType") ?? undefined,
    cursor:
      (typeof lastEventId === "string" ? lastEventId : undefined) ??
      query.get("cursor") ??
      undefined,
    models: models === null ? undefined : models.split(",").filter(Boolean),
    where: where === null ? undefined : parseJson(where),
    compact: compact === null ? undefined : compact === "1" || compact === "true",
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function refuse(response: ServerResponse, status: number, code: ErrorCode, message: string) {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify({ error: { code, message } }));
}
