import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach } from "vitest";
import { startOdooSim, type OdooSim, type OdooSimOptions } from "../src/index.js";
export { waitFor } from "../../test/helpers/wait.js";

export const API_KEY = "test-api-key";

const cleanups: (() => Promise<void>)[] = [];

/** Closes everything a test opened, whether it passed or not. */
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export async function startSim(options: OdooSimOptions = {}): Promise<OdooSim> {
  const sim = await startOdooSim({ apiKey: API_KEY, ...options });
  cleanups.push(() => sim.close());
  return sim;
}

/** Whatever JSON.parse returns: tests assert on its shape with toEqual/toMatchObject. */
type Parsed = ReturnType<typeof JSON.parse>;

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: Parsed;
}

export interface CallOptions {
  method?: string;
  /** Sent as JSON with `Content-Type: application/json` unless headers say otherwise. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The X-API-Key header; null sends none. Default the simulator's key. */
  key?: string | null;
}

/** One request to the module's REST API (`path` under /api/webhooks). */
export async function api(sim: OdooSim, path: string, options: CallOptions = {}): Promise<Answer> {
  const { method = options.body === undefined ? "GET" : "POST", key = API_KEY } = options;
  const headers: Record<string, string> = {
    ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
    ...(key === null ? {} : { "X-API-Key": key }),
    ...options.headers,
  };
  const body =
    options.body === undefined || typeof options.body === "string"
      ? options.body
      : JSON.stringify(options.body);
  const response = await fetch(`${sim.url}/api/webhooks${path}`, { method, headers, body });
  return answer(response);
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: Parsed;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** `POST /jsonrpc` with Odoo's envelope. */
export async function rpc(
  sim: OdooSim,
  service: string,
  method: string,
  args: unknown[],
  id: unknown = 1,
): Promise<Answer> {
  const response = await fetch(`${sim.url}/jsonrpc`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", method: "call", params: { service, method, args }, id }),
  });
  return answer(response);
}

/** `execute_kw` as the default RPC user (admin, uid 2, key "sim-rpc-key"). */
export function executeKw(
  sim: OdooSim,
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown> = {},
): Promise<Answer> {
  return rpc(sim, "object", "execute_kw", ["odoo", 2, "sim-rpc-key", model, method, args, kwargs]);
}

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Parsed;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** The status the next requests get. */
  answer: number;
}

/** A stand-in hub: a plain node:http server on a free port that records every request. */
export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: "", received: [], answer: 200 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const body: Parsed = text === "" ? undefined : JSON.parse(text);
      receiver.received.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body,
      });
      res.writeHead(receiver.answer, { "Content-Type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/odoo`;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return receiver;
}
