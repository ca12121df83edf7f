import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { TokenBuckets } from "../ops/token-bucket.js";
import type { Limiter } from "../ops/limiter.js";
import type { SocketAdapter } from "./adapter-redis.js";
import { ConnectLimiter } from "./connect-limiter.js";
import { DeviceSession, type SessionDeps } from "./device-session.js";
import { Dispatcher } from "./dispatcher.js";
import { factsOf, handshakeMiddleware } from "./handshake.js";
import { handleRequests } from "./requests.js";
import { replaceOlderSessions } from "./replace.js";
import type { HubServer } from "./types.js";

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
  const dispatcher = new Dispatcher(io, deps.log);
  const sessionDeps: SessionDeps = { ...deps, dispatcher };
  const buckets = new TokenBuckets({ perSecond: 50, burst: 200 });
  const limiter = new ConnectLimiter(deps.connects, config.trustProxy);
  io.use(handshakeMiddleware(config, metrics, limiter));
  io.on("connection", (socket) => {
    const session = new DeviceSession(socket, factsOf(socket), sessionDeps);
    metrics.sockets.inc();
    socket.on("disconnect", () => {
      metrics.sockets.dec();
      session.close();
    });
    replaceOlderSessions(io, socket);
    handleRequests(socket, session, { logger, buckets });
    session.resume().catch((error: unknown) => {
      logger.error({ err: error, tenant: session.tenant }, "resume failed; disconnecting");
      session.disconnect();
    });
  });
  dispatcher.start(config.tenants.keys());
  return { io, dispatcher };
}
