import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { Config } from "../config/config.js";
import type { EventLog } from "../log/event-log.js";
import type { Logger } from "../ops/logger.js";
import type { Metrics } from "../ops/metrics.js";
import { TokenBuckets } from "../ops/token-bucket.js";
import type { OdooConnection } from "../odoo/odoo-connections.js";
import type { SyncStateMirror } from "../odoo/sync-state-mirror.js";
import type { DeviceStore } from "../state/device-store.js";
import type { SocketAdapter } from "./adapter-redis.js";
import { Dispatcher } from "./dispatcher.js";
import { handshakeMiddleware } from "./handshake.js";
import { handleRequests } from "./requests.js";
import { replaceOlderSessions } from "./replace.js";
import { resume } from "./resume.js";
import type { HubServer } from "./types.js";

export interface RealtimeDeps {
  /** Socket.IO's adapter across nodes; the in-memory default when undefined. */
  adapter: SocketAdapter["factory"] | undefined;
  config: Config;
  log: EventLog;
  devices: DeviceStore;
  metrics: Metrics;
  logger: Logger;
  mirrors: ReadonlyMap<string, SyncStateMirror>;
  odoo: ReadonlyMap<string, OdooConnection>;
}

/** Socket.IO on the hub's HTTP server: handshake check, requests, resume, live delivery. */
export function createRealtime(server: HttpServer, deps: RealtimeDeps) {
  const io: HubServer = new Server(server, {
    path: "/socket.io",
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    ...(deps.adapter === undefined ? {} : { adapter: deps.adapter }),
    ...(deps.config.corsOrigins.length > 0 ? { cors: { origin: deps.config.corsOrigins } } : {}),
  });
  const dispatcher = new Dispatcher(io, deps.log);
  const buckets = new TokenBuckets({ perSecond: 50, burst: 200 });
  io.use(handshakeMiddleware(deps.config, deps.metrics));
  io.on("connection", (socket) => {
    deps.metrics.sockets.inc();
    socket.on("disconnect", () => {
      deps.metrics.sockets.dec();
      dispatcher.cancelReplay(socket.id);
    });
    replaceOlderSessions(io, socket);
    handleRequests(socket, { ...deps, dispatcher, buckets });
    resume(socket, { ...deps, tenants: deps.config.tenants, dispatcher }).catch(
      (error: unknown) => {
        deps.logger.error(
          { err: error, tenant: socket.data.tenant },
          "resume failed; disconnecting",
        );
        socket.disconnect(true);
      },
    );
  });
  dispatcher.start(deps.config.tenants.keys());
  return { io, dispatcher };
}
