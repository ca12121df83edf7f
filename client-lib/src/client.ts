import {
  isWireMessage,
  type AckRequest,
  type AdminTestReply,
  type HandshakeAuth,
  type ModelDomains,
} from "@odoo-live/protocol";
import { Acker } from "./acker.js";
import type { ClientEvents } from "./client-events.js";
import { connectErrorAction } from "./connect-policy.js";
import { CursorStore } from "./cursor-store.js";
import { Delivery } from "./delivery.js";
import {
  OdooLiveError,
  messageOf,
  unreachable,
  type ClientErrorCode,
  type ClientErrorInfo,
} from "./errors.js";
import { buildHandshake } from "./handshake.js";
import { createSocket, type HubSocket } from "./hub-socket.js";
import { toEvent, toReady, toResync, type Incoming } from "./incoming.js";
import { Listeners } from "./listeners.js";
import { resolveOptions, type ConnectOptions, type ResolvedOptions } from "./options.js";
import { Reconnector } from "./reconnector.js";
import { request } from "./requests.js";
import { cursorKey } from "./storage.js";

/** Connects to the hub; the returned client reconnects by itself until close(). */
export function connect(options: ConnectOptions): OdooLiveClient {
  return new OdooLiveClient(resolveOptions(options));
}

export class OdooLiveClient {
  readonly #options: ResolvedOptions;
  readonly #listeners = new Listeners<ClientEvents>();
  readonly #cursors: CursorStore;
  readonly #acker: Acker;
  readonly #delivery: Delivery;
  readonly #reconnector: Reconnector | undefined;
  readonly #socket: HubSocket;
  /**
   * The device's subscriptions as far as this client knows them: the app's `models`, then each
   * subscribe/unsubscribe answer. Sent in every handshake once known, so they survive a hub that
   * lost the device's state (the handshake's list replaces the stored one). Unknown (undefined)
   * when the app gave no models and changed none: the handshake then omits them and the hub keeps
   * what it stored for the device. ready.models does not overwrite it: that list is filtered by
   * the current token, and a refreshed token may allow more.
   */
  #models: string[] | undefined;
  /** The narrowing of those subscriptions, kept as they are (see `subscribe`). */
  #where: ModelDomains;
  /** The hub refused the stored cursor once already since the last ready. */
  #cursorReset = false;
  /** The token the live session holds: the handshake's, then each refresh's. */
  #token = "";
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.#models = options.models;
    this.#where = { ...options.where };
    const key = cursorKey(options.url, options.deviceId);
    this.#cursors = new CursorStore(options.storage, key, (error) => this.#report(error));
    this.#acker = new Acker((request) => this.#sendAck(request), {
      every: options.ackEvery,
      intervalMs: options.ackIntervalMs,
    });
    this.#delivery = new Delivery({
      cursors: this.#cursors,
      acker: this.#acker,
      listeners: this.#listeners,
      report: (error) => this.#report(error),
      dedupeSize: options.dedupeSize,
    });
    this.#reconnector =
      options.reconnect === false ? undefined : new Reconnector(options.reconnect);
    this.#socket = createSocket(options, (send) => this.#authenticate(send));
    this.#listen();
    this.#socket.connect();
  }

  on<K extends keyof ClientEvents>(name: K, listener: ClientEvents[K]): () => void {
    return this.#listeners.on(name, listener);
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  /** The stored resume cursor (as of the last handshake or processed message). */
  cursor(): string | null {
    return this.#cursors.current;
  }

  /**
   * Subscribes to `models`, each narrowed by its domain in `where` (or whole); resolves to the
   * device's subscriptions.
   */
  subscribe(models: string[], where?: ModelDomains): Promise<string[]> {
    return this.#changeModels("subscribe", models, where);
  }

  unsubscribe(models: string[]): Promise<string[]> {
    return this.#changeModels("unsubscribe", models);
  }

  /** Stops reconnecting, sends a last ack if connected (bounded by requestTimeoutMs), disconnects. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  get #closed(): boolean {
    return this.#closing !== undefined;
  }

  async #shutdown(): Promise<void> {
    this.#reconnector?.cancel();
    this.#delivery.stop();
    this.#acker.stop();
    await this.#acker.flush();
    this.#socket.disconnect();
  }

  #listen(): void {
    const socket = this.#socket;
    socket.on("connect", () => this.#notify("connect"));
    socket.on("disconnect", (reason) => this.#onDisconnect(reason));
    socket.on("connect_error", (error) => this.#onConnectError(error));
    socket.on("event", (event) => this.#receive("event", toEvent(event)));
    socket.on("ready", (ready) => this.#onReady(toReady(ready)));
    socket.on("resync", (resync) => this.#receive("resync", toResync(resync)));
    socket.on("replaced", (notice) => this.#onReplaced(notice));
    socket.on("token_expiring", (notice) => this.#onTokenExpiring(notice));
    socket.on("expired", (notice) => this.#onExpired(notice));
    socket.on("admin_test", (notice, ack) => this.#onAdminTest(notice, ack));
  }

  /** Outside the delivery queue: it has no cursor, and must not wait behind a replay. */
  #onAdminTest(notice: unknown, ack: unknown): void {
    if (!isWireMessage("AdminTest", notice)) return this.#invalid("admin_test");
    void this.#listeners.call("admin_test", notice).then((failures) => {
      this.#failed("admin_test", failures);
      if (typeof ack === "function") (ack as (reply: AdminTestReply) => void)({ ok: true });
    });
  }

  /**
   * The session's token runs out soon: a token function gives the live session a new one,
   * without a reconnect. A refused refresh is reported, and the client reconnects with a fresh
   * token (the handshake calls the function again). A fixed token can only run out.
   */
  #onTokenExpiring(notice: unknown): void {
    if (!isWireMessage("TokenExpiring", notice)) return this.#invalid("token_expiring");
    const token = this.#options.token;
    if (typeof token !== "function") {
      const message = `${notice.message}; a fixed token cannot be refreshed (pass a token function)`;
      return this.#report({ code: "token_expiring", message, fatal: false });
    }
    const asked = {
      reason: "expiring",
      current: this.#token,
      expiresAt: notice.expiresAt,
    } as const;
    void (async () => {
      try {
        const fresh = await token(asked);
        await request(this.#socket, "refresh", { token: fresh }, this.#options.requestTimeoutMs);
        this.#token = fresh;
      } catch (error) {
        this.#report({
          code: codeOf(error),
          message: messageOf(error),
          fatal: false,
          cause: error,
        });
        if (this.#closed || !this.#socket.connected) return;
        this.#socket.disconnect();
        this.#retry();
      }
    })();
  }

  /** The hub ended the session at the token's exp; the reconnect asks for a new token. */
  #onExpired(notice: unknown): void {
    if (!isWireMessage("Expired", notice)) return this.#invalid("expired");
    this.#report({ code: notice.code, message: notice.message, fatal: false });
  }

  #invalid(name: string): void {
    const message = `${name}: the hub's message does not match the protocol; ignored`;
    this.#report({ code: "invalid_message", message, fatal: false });
  }

  /** Another connection with this device id took over; reconnecting would only take it back. */
  #onReplaced(notice: unknown): void {
    const message = isWireMessage("Replaced", notice) ? notice.message : "session replaced";
    this.#report({ code: "session_replaced", message, fatal: true });
    void this.close();
  }

  #receive(name: Incoming["kind"], item: Incoming | undefined): void {
    if (item !== undefined) return this.#delivery.push(item);
    this.#invalid(name);
  }

  #onReady(item: Incoming | undefined): void {
    if (item !== undefined) {
      // The hub took the handshake and replayed: this connection works.
      this.#reconnector?.reset();
      this.#cursorReset = false;
    }
    this.#receive("ready", item);
  }

  #authenticate(send: (auth: object) => void): void {
    const parts = {
      ...this.#options,
      cursors: this.#cursors,
      models: this.#models,
      where: this.#where,
    };
    const sent = (auth: HandshakeAuth): void => {
      this.#token = auth.token;
      send(auth);
    };
    // buildHandshake rejects only when the token function fails, which #tokenFailed handles.
    void buildHandshake(parts).then(sent, (error: unknown) => this.#tokenFailed(error));
  }

  /**
   * Without a token there is nothing to send: drop this attempt and try again later (an
   * OdooSession's `signed_out` resolves once the app signs in again). Its own code is kept.
   */
  #tokenFailed(error: unknown): void {
    const message = `token function failed: ${messageOf(error)}`;
    const code = error instanceof OdooLiveError ? error.code : "token_missing";
    this.#report({ code, message, fatal: false, cause: error });
    this.#socket.disconnect();
    this.#retry();
  }

  #onDisconnect(reason: string): void {
    this.#notify("disconnect", reason);
    // socket.io-client reconnects after transport failures (the socket stays active) but not
    // after the hub disconnected it on purpose, e.g. a node shutting down.
    if (!this.#socket.active) this.#retry();
  }

  #onConnectError(error: Error & { data?: unknown; description?: unknown }): void {
    const data = error.data;
    const refused = isWireMessage("ConnectErrorData", data);
    const code: ClientErrorCode = refused ? data.code : "transport";
    const message = refused ? error.message : unreachable(this.#options.url, error);
    // Still active: a transport failure that socket.io-client retries with its own backoff.
    if (this.#socket.active) return this.#report({ code, message, fatal: false });
    const action = connectErrorAction(code, {
      tokenIsFunction: typeof this.#options.token === "function",
      cursorAlreadyReset: this.#cursorReset,
    });
    this.#report({ code, message, fatal: action === "stop" });
    if (action === "stop") void this.close();
    else if (action === "retry") this.#retry();
    else void this.#dropCursorAndRetry();
  }

  async #dropCursorAndRetry(): Promise<void> {
    this.#cursorReset = true;
    await this.#cursors.drop();
    this.#retry();
  }

  #retry(): void {
    if (this.#closed) return;
    this.#reconnector?.schedule(() => {
      if (!this.#closed) this.#socket.connect();
    });
  }

  async #changeModels(
    name: "subscribe" | "unsubscribe",
    models: string[],
    where?: ModelDomains,
  ): Promise<string[]> {
    const body = where === undefined ? { models } : { models, where };
    const reply = await request(this.#socket, name, body, this.#options.requestTimeoutMs);
    const current = reply.models;
    this.#models = current;
    for (const model of models) delete this.#where[model];
    if (name === "subscribe") Object.assign(this.#where, where);
    return current;
  }

  async #sendAck(ack: AckRequest): Promise<boolean> {
    try {
      await request(this.#socket, "ack", ack, this.#options.requestTimeoutMs);
      return true;
    } catch (error) {
      // Offline is expected and retried with the next batch; anything else is worth showing.
      if (!(error instanceof OdooLiveError && error.code === "disconnected")) {
        this.#report({ code: codeOf(error), message: messageOf(error), fatal: false });
      }
      return false;
    }
  }

  #notify<K extends "connect" | "disconnect">(name: K, ...args: Parameters<ClientEvents[K]>): void {
    // call() never rejects; failures come back as values.
    void this.#listeners.call(name, ...args).then((failures) => this.#failed(name, failures));
  }

  #failed(name: string, failures: unknown[]): void {
    for (const failure of failures) {
      const message = `${name} listener failed: ${messageOf(failure)}`;
      this.#report({ code: "internal", message, fatal: false, cause: failure });
    }
  }

  #report(error: ClientErrorInfo): void {
    // A failing error listener cannot be reported anywhere else; call() already swallowed it.
    void this.#listeners.call("error", error);
  }
}

function codeOf(error: unknown): ClientErrorCode {
  return error instanceof OdooLiveError ? error.code : "internal";
}
