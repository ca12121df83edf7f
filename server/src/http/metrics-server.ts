import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import type { Metrics } from "../ops/metrics.js";
import { metrics } from "./app.js";

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** `/metrics` alone on a port of its own (HUB_METRICS_PORT), for scrapers on a private network. */
export async function startMetricsServer(
  deps: { metrics: Metrics },
  port: number,
  host: string,
): Promise<MetricsServer> {
  const app = new Hono({ strict: false });
  app.get("/metrics", (c) => metrics(c, deps));
  const listener = getRequestListener(app.fetch);
  const server: Server = createServer((req, res) => void listener(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
