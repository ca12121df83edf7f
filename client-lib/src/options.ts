import type { HandshakeAuth, ModelDomains } from "@odoo-live/protocol";
import type { ManagerOptions, SocketOptions } from "socket.io-client";
import type { BackoffOptions } from "@odoo-live/protocol";
import { memoryStorage, type CursorStorage } from "./storage.js";

/**
 * A fixed token, or a function called before every (re)connect, and when the hub says the live
 * session's token is expiring, so that the app can refresh it.
 */
export type TokenSource = string | ((request: TokenRequest) => string | Promise<string>);

/** Why the token function is called: a handshake, or `token_expiring` for the token in `current`. */
export type TokenRequest =
  { reason: "connect" } | { reason: "expiring"; current: string; expiresAt: string };

export type AppType = NonNullable<HandshakeAuth["appType"]>;

export interface ConnectOptions {
  /** The hub's origin, e.g. `https://live.example.com` (namespace `/`, path `/socket.io`). */
  url: string;
  token: TokenSource;
  /** Stable per device (at least 3 characters): the hub keeps one cursor per device. */
  deviceId: string;
  appType?: AppType;
  /** Models to subscribe to; replaces the device's stored subscriptions on the hub. */
  models?: string[];
  /**
   * Narrows `models`: per model, an Odoo domain its records must match (on top of the token's
   * record rules, never widening them), e.g. `{ "sale.order": [["state", "=", "sale"]] }`.
   */
  where?: ModelDomains;
  /**
   * On every (re)connect, replay only each record's latest event of what the device missed
   * (`ready.compacted` says how many it left out). For a device that shows state (each record
   * as it is now), not history: it skips the intermediate changes and catches up far faster
   * after a long absence. Live events are never compacted.
   */
  compact?: boolean;
  /** Where the resume cursor lives; defaults to memory (the hub then resumes from its acks). */
  storage?: CursorStorage;
  /** Ack after this many processed events (default 50)... */
  ackEvery?: number;
  /** ...or this long after the first unacked one (default 1000 ms), whichever comes first. */
  ackIntervalMs?: number;
  /** How long subscribe, unsubscribe and ack wait for the hub's answer (default 5000 ms). */
  requestTimeoutMs?: number;
  /** How many recent event ids are remembered to drop duplicates (default 10,000). */
  dedupeSize?: number;
  /** Backoff bounds for every kind of reconnect, or false to never reconnect. */
  reconnect?: Partial<BackoffOptions> | false;
  /** Passed to socket.io-client; `auth`, `autoConnect` and `forceNew` are set by the client. */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

export interface ResolvedOptions {
  url: string;
  token: TokenSource;
  deviceId: string;
  appType: AppType | undefined;
  models: string[] | undefined;
  where: ModelDomains | undefined;
  compact: boolean;
  storage: CursorStorage;
  ackEvery: number;
  ackIntervalMs: number;
  requestTimeoutMs: number;
  dedupeSize: number;
  reconnect: BackoffOptions | false;
  socketOptions: Partial<ManagerOptions & SocketOptions>;
}

const DEFAULT_BACKOFF: BackoffOptions = { minDelayMs: 1000, maxDelayMs: 10_000 };

export function resolveOptions(options: ConnectOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    url: options.url,
    token: options.token,
    deviceId: options.deviceId,
    appType: options.appType,
    models: options.models === undefined ? undefined : [...options.models],
    where: options.where,
    compact: options.compact ?? false,
    storage: options.storage ?? memoryStorage(),
    ackEvery: options.ackEvery ?? 50,
    ackIntervalMs: options.ackIntervalMs ?? 1000,
    requestTimeoutMs: options.requestTimeoutMs ?? 5000,
    dedupeSize: options.dedupeSize ?? 10_000,
    reconnect: options.reconnect === false ? false : { ...DEFAULT_BACKOFF, ...options.reconnect },
    socketOptions: options.socketOptions ?? {},
  };
  for (const key of ["ackEvery", "ackIntervalMs", "requestTimeoutMs", "dedupeSize"] as const) {
    if (!(resolved[key] > 0)) {
      throw new TypeError(`odoo-live: ${key} must be a positive number, got ${resolved[key]}`);
    }
  }
  return resolved;
}
