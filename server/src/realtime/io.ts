import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { clientAddress } from "../ops/client-address.js";
import { TokenBuckets } from "../ops/token-bucket.js";
import type { Limiter } from "../ops/limiter.js";
import type { SocketAdapter } from "./adapter-redis.js";
import { socketChannel } from "./channel.js";
import { ConnectLimiter } from "./connect-limiter.js";
import { DeviceSession, type SessionDeps } from "./device-session.js";
import { disconnectReason } from "./disconnect-reason.js";
import { Dispatcher } from "./dispatcher.js";
import { factsOf, handshakeMiddleware } from "./handshake.js";
import { handleRequests } from "./requests.js";
import { replaceOlderSessions } from "./replace.js";
import { sseHandler } from "./sse.js";
import type { HubServer, HubSocket } from "./types.js";

export interface RealtimeDeps extends Omit<SessionDeps, "dispatcher"> {
  /** Socket.IO's adapter across nodes; the in-memory default when undefined. */
  adapter: SocketAdapter["factory"] | undefined;
  /** Handshakes per client address. */
  connects: Limiter;
}

/** Socket.IO on the hub's HTTP server: handshake check, then one DeviceSession per connection. */
export function createRealtime(server: HttpServer, deps: RealtimeDeps) {
  const { config, metrics, logger } = deps;
  const io: HubServer = new Server(server, {
    path: "/socket.io",
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    ...(deps.adapter === undefined ? {} : { adapter: deps.adapter }),
    ...(config.corsOrigins.length > 0 ? { cors: { origin: config.corsOrigins } } : {}),
  });
  const dispatcher = new Dispatcher(io, deps.log, metrics);
  const sessionDeps: SessionDeps = { ...deps, dispatcher };
  const buckets = new TokenBuckets({ perSecond: 50, burst: 200 });
  const limiter = new ConnectLimiter(deps.connects, config.trustProxy);
  io.use(handshakeMiddleware(config, metrics, limiter, deps.notices));
  io.on("connection", (socket) => {
    const facts = factsOf(socket);
    const session = new DeviceSession(socketChannel(socket), facts, sessionDeps);
    const connection = { tenant: session.tenant, app_type: facts.appType };
    metrics.connections.inc(connection);
    logger.debug({ ...session.key, ...describe(socket, config.trustProxy) }, "device connected");
    socket.on("disconnect", (why) => {
      const reason = disconnectReason(socket, why);
      metrics.connections.dec(connection);
      metrics.disconnects.inc({ tenant: session.tenant, reason });
      logger.debug({ ...session.key, socket: socket.id, reason }, "device disconnected");
      session.close();
    });
    replaceOlderSessions(io, socket);
    handleRequests(socket, session, { logger, buckets });
    session.resume().catch((error: unknown) => {
      logger.error({ err: error, tenant: session.tenant }, "resume failed; disconnecting");
      session.disconnect("resume_failed");
    });
  });
  dispatcher.start(config.tenants.keys());
  return { io, dispatcher, sse: sseHandler({ ...sessionDeps, limiter }) };
}

/** Where a connection comes from (no credentials: the handshake's auth is never logged). */
function describe(socket: HubSocket, trustProxy: boolean) {
  const { headers, address } = socket.handshake;
  return {
    socket: socket.id,
    address: clientAddress(headers["x-forwarded-for"], address, trustProxy),
    transport: socket.conn.transport.name,
  };
}
