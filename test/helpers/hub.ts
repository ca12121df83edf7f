import jsonwebtoken from "jsonwebtoken";
import { loadConfig, startHub, type Hub, type HubOptions } from "@odoo-live/server";
import type { HandshakeAuth, NormalizedEvent, Ready, Resync } from "@odoo-live/protocol";
import { io as ioClient, type Socket } from "socket.io-client";
import { afterEach } from "vitest";
import { waitFor } from "./wait.js";

export const JWT_SECRET = "test-secret-0123456789-0123456789-abcdef";
export const PUSH_TOKEN = "test-push-token-0123456789";

const running: (() => Promise<void>)[] = [];

/** Closes every hub and socket a test opened, whether it passed or not. */
afterEach(async () => {
  for (const close of running.splice(0).reverse()) await close();
});

/**
 * A real hub on a free loopback port, with test secrets; `env` overrides any setting and an
 * empty value unsets it (as `loadConfig` reads empty values).
 */
export async function startTestHub(
  env: Record<string, string> = {},
  options: HubOptions = {},
): Promise<Hub> {
  const merged: Record<string, string> = {
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    JWT_SECRET,
    PUSH_TOKEN,
    HUB_SHUTDOWN_TIMEOUT_MS: "2000",
    HUB_CONNECT_RATE_PER_IP: "1000",
    HUB_CONNECT_BURST_PER_IP: "1000",
    ...env,
  };
  const config = loadConfig(merged);
  const hub = await startHub(config, options);
  running.push(() => hub.close());
  return hub;
}

export interface Claims {
  uid?: number;
  tenant?: string;
  models?: "*" | string[];
  expiresIn?: number;
  /** Record rules (issue 13): `res.company` ids, and per model an Odoo domain. */
  companies?: number[];
  domains?: Record<string, unknown[]>;
}

export function mintToken(claims: Claims = {}, secret = JWT_SECRET): string {
  const { expiresIn = 600, uid = 2, models = "*", ...rest } = claims;
  return jsonwebtoken.sign({ uid, models, ...rest }, secret, { algorithm: "HS256", expiresIn });
}

export interface PushOptions {
  tenant?: string;
  headers?: Record<string, string>;
}

/** POSTs a body to the push receiver as Odoo does (Bearer with the test push token by default). */
export async function push(hub: Hub, body: unknown, options: PushOptions = {}): Promise<Response> {
  const path = options.tenant === undefined ? "/webhooks/odoo" : `/webhooks/odoo/${options.tenant}`;
  return fetch(`${hub.url}${path}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${PUSH_TOKEN}`,
      ...options.headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** A raw socket.io-client socket that records everything the hub sends. */
export interface RecordingSocket {
  socket: Socket;
  events: NormalizedEvent[];
  ready: Ready[];
  resyncs: Resync[];
  /** Everything in arrival order, as [name, payload]. */
  log: [string, unknown][];
  connectError: Promise<Error>;
}

export function connectRaw(
  hub: Pick<Hub, "url">,
  auth: Partial<HandshakeAuth> & Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
): RecordingSocket {
  const socket = ioClient(hub.url, {
    auth,
    extraHeaders,
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
  });
  const recording: RecordingSocket = {
    socket,
    events: [],
    ready: [],
    resyncs: [],
    log: [],
    connectError: new Promise((resolve) => socket.once("connect_error", resolve)),
  };
  socket.onAny((name: string, payload: unknown) => recording.log.push([name, payload]));
  socket.on("event", (event: NormalizedEvent) => recording.events.push(event));
  socket.on("ready", (ready: Ready) => recording.ready.push(ready));
  socket.on("resync", (resync: Resync) => recording.resyncs.push(resync));
  running.push(() => {
    socket.disconnect();
    return Promise.resolve();
  });
  return recording;
}

/** Connects and waits for `ready`. */
export async function connectReady(
  hub: Pick<Hub, "url">,
  auth: Partial<HandshakeAuth> & Record<string, unknown>,
) {
  const recording = connectRaw(hub, auth);
  await waitFor(() => recording.ready.length > 0, { what: "ready" });
  return recording;
}
