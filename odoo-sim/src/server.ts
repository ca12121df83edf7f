import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ListenOptions {
  port: number;
  host: string;
  /** Sees every request first; false means it was dealt with (the connection closed). */
  admit(request: IncomingMessage): boolean;
}

export async function listen(app: Hono, options: ListenOptions): Promise<Listening> {
  const listener = getRequestListener(app.fetch);
  // The adapter answers its own errors; nothing is left to await.
  const server = createServer((req, res) => {
    if (options.admit(req)) void listener(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === "0.0.0.0" || options.host === "::" ? "127.0.0.1" : options.host;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`, port, close };
}
