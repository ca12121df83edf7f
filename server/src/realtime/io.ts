import type { Server as HttpServer } from "node:http";
import { Server, type DisconnectReason } from "socket.io";
import { clientAddress } from "../ops/client-address.js";
import { TokenBuckets } from "../ops/token-bucket.js";
import type { Limiter } from "../ops/limiter.js";
import type { SocketAdapter } from "./adapter-redis.js";
import { SocketChannel } from "./channel.js";
import { ConnectLimiter } from "./connect-limiter.js";
import { DeviceSession, type SessionDeps } from "./device-session.js";
import { disconnectReason } from "./disconnect-reason.js";
import { Dispatcher } from "./dispatcher.js";
import { factsOf, handshakeMiddleware } from "./handshake.js";
import { requestListeners } from "./requests.js";
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
  // One session per socket; the listeners below are the node's, shared by every socket.
  const sessions = new WeakMap<HubSocket, DeviceSession>();
  const sessionOf = (socket: HubSocket) => sessions.get(socket);
  const listeners = requestListeners({ notices: deps.notices, buckets, sessionOf });
  function onDisconnect(this: HubSocket, why: DisconnectReason) {
    const session = sessions.get(this);
    if (session === undefined) return;
    const reason = disconnectReason(this, why);
    metrics.connections.dec({ tenant: session.tenant, app_type: session.appType });
    metrics.disconnects.inc({ tenant: session.tenant, reason });
    logger.debug({ ...session.key, socket: this.id, reason }, "device disconnected");
    session.close();
  }
  io.on("connection", (socket) => {
    const facts = factsOf(socket);
    const session = new DeviceSession(new SocketChannel(socket), facts, sessionDeps);
    sessions.set(socket, session);
    metrics.connections.inc({ tenant: session.tenant, app_type: facts.appType });
    logger.debug({ ...session.key, ...describe(socket, config.trustProxy) }, "device connected");
    socket.on("disconnect", onDisconnect);
    replaceOlderSessions(io, socket);
    for (const [name, listener] of listeners) socket.on(name as "ack", listener);
    session.start();
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
