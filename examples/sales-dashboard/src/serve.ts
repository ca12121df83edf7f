import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export interface DashboardOptions {
  /** The hub's origin, as the browser reaches it. */
  hubUrl: string;
  /** A client token for the page (development only: anyone who reaches this server gets one). */
  token: () => string;
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1: the token endpoint must not face a network. */
  host?: string;
}

export interface Dashboard {
  /** `http://host:port/` */
  url: string;
  close(): Promise<void>;
}

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
};

/** The page's script: the page and @odoo-live/client (from source), bundled for browsers. */
async function bundle(): Promise<Map<string, string>> {
  const result = await build({
    entryPoints: [root("src/page/main.ts")],
    bundle: true,
    minify: true,
    sourcemap: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["source"],
    outdir: "/", // nothing is written: only names the outputs
    write: false,
    logLevel: "warning",
  });
  return new Map(result.outputFiles.map((file) => [`/${file.path.split("/").pop()}`, file.text]));
}

/**
 * The dashboard's development server: the page, its bundled script, where the hub is, and a
 * token endpoint. Never the hub's job: a real app gets its tokens from its own backend.
 */
export async function serveDashboard(options: DashboardOptions): Promise<Dashboard> {
  const files = await bundle();
  files.set("/", await readFile(root("public/index.html"), "utf8"));
  files.set("/style.css", await readFile(root("public/style.css"), "utf8"));
  files.set("/config.json", JSON.stringify({ hubUrl: options.hubUrl }));
  const server = createServer((req, res) => answer(req, res, files, options.token));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(
  req: IncomingMessage,
  res: ServerResponse,
  files: ReadonlyMap<string, string>,
  token: () => string,
): void {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (path === "/token") {
    // POST only, and no CORS headers: another site's page can neither embed nor read it.
    if (req.method !== "POST") return send(res, 405, "text/plain", "POST only\n");
    return send(res, 200, "text/plain", token(), { "Cache-Control": "no-store" });
  }
  const body = req.method === "GET" ? files.get(path) : undefined;
  if (body === undefined) return send(res, 404, "text/plain", "not found\n");
  const type = path === "/" ? ".html" : path.slice(path.lastIndexOf("."));
  send(res, 200, TYPES[type] ?? "application/json", body);
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "Content-Type": type, ...headers }).end(body);
}
