import type { SignInRequest, TokenPair } from "@odoo-live/protocol";
import { postAuth, type AuthTarget } from "./auth-requests.js";
import { OdooLiveError } from "./errors.js";
import type { TokenRequest } from "./options.js";
import { dropRecord, loadRecord, sessionKey, type SessionRecord } from "./session-record.js";
import { memoryStorage, type CursorStorage } from "./storage.js";

export interface OdooSessionOptions {
  /** The hub's origin, as for `connect()`. */
  url: string;
  /** The hub tenant; omitted: `default`. */
  tenant?: string;
  /**
   * Where the token pair lives between app starts (any CursorStorage); defaults to memory, i.e.
   * sign in again after a restart. In a browser, `localStorageStorage()` keeps the refresh token
   * where any script on the page can read it: use it only on a page you trust.
   */
  storage?: CursorStorage;
  /** How long a request to `/auth/*` may take (default 10,000 ms). */
  requestTimeoutMs?: number;
}

/**
 * Who is signed in, on which device, and what the hub's last pair allows (`uid`, `models`,
 * `companies`, `expiresIn` and `refreshExpiresIn` in seconds from `receivedAt`, this device's
 * clock in ms): the pair without its tokens.
 */
export type SessionInfo = Omit<TokenPair, "accessToken" | "refreshToken"> & {
  deviceId: string;
  receivedAt: number;
};

/** An access token with less than this left is refreshed before it is handed out. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * Sign in with Odoo through the hub (PROTOCOL §9) for an app without a backend of its own: keeps
 * the token pair, refreshes the access token before it runs out, and is the token function of
 * `connect()`: `connect({ url, deviceId, token: session.token })`. The live session then takes
 * each new token in-band, without a reconnect.
 */
export class OdooSession {
  readonly #target: AuthTarget;
  readonly #storage: CursorStorage;
  readonly #key: string;
  /** One refresh at a time: a refresh token is single use, a second request would revoke it. */
  #refreshing: Promise<SessionRecord> | undefined;

  constructor(options: OdooSessionOptions) {
    this.#target = {
      url: options.url,
      tenant: options.tenant,
      timeoutMs: options.requestTimeoutMs ?? 10_000,
    };
    this.#storage = options.storage ?? memoryStorage();
    this.#key = sessionKey(options.url, options.tenant);
  }

  /** Checks the credentials with Odoo (through the hub) and keeps the pair; `signin_failed` if not. */
  async signIn(credentials: SignInRequest): Promise<SessionInfo> {
    const pair = await postAuth(this.#target, "odoo", credentials);
    return info(await this.#keep(credentials.deviceId.trim(), pair));
  }

  /** The stored session, or null when signed out. */
  async current(): Promise<SessionInfo | null> {
    const record = await loadRecord(this.#storage, this.#key);
    return record === null ? null : info(record);
  }

  /**
   * An access token for the handshake or the in-band refresh; bound, so pass it as it is. Asked
   * because the live token is expiring, or with less than a minute left, it refreshes first.
   * Rejects with `signed_out` before a sign-in and after `refresh_invalid` (the hub refused the
   * refresh token: the app must sign in again; the client keeps retrying and picks up the token of
   * the next sign-in), and with `unavailable`, `rate_limited`, `transport` or `timeout` while the
   * hub or Odoo cannot answer (the pair is kept; the client's next attempt tries again).
   */
  readonly token = async (request?: TokenRequest): Promise<string> => {
    const record = await loadRecord(this.#storage, this.#key);
    if (record === null) throw new OdooLiveError("signed_out", "not signed in: call signIn()");
    const { accessToken, expiresIn } = record.pair;
    const expiring = request?.reason === "expiring" && request.current === accessToken;
    // Never more than half the lifetime, or a short-lived token would be refreshed at every use.
    const margin = Math.min(REFRESH_MARGIN_MS, (expiresIn * 1000) / 2);
    if (!expiring && Date.now() < record.receivedAt + expiresIn * 1000 - margin) return accessToken;
    return (await this.#refresh(record)).pair.accessToken;
  };

  /**
   * Forgets the pair, then ends the device's refresh chain on the hub. Rejects when the hub cannot
   * be reached: the pair is forgotten all the same, and its refresh token lapses when it expires.
   */
  async signOut(): Promise<void> {
    const record = await loadRecord(this.#storage, this.#key);
    await dropRecord(this.#storage, this.#key);
    if (record === null) return;
    await postAuth(this.#target, "logout", { refreshToken: record.pair.refreshToken });
  }

  #refresh(record: SessionRecord): Promise<SessionRecord> {
    this.#refreshing ??= this.#exchange(record).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #exchange(record: SessionRecord): Promise<SessionRecord> {
    try {
      const body = { refreshToken: record.pair.refreshToken };
      return await this.#keep(record.deviceId, await postAuth(this.#target, "refresh", body));
    } catch (error) {
      // Spent, revoked or expired: no retry can succeed, and keeping it would only mislead.
      if (error instanceof OdooLiveError && error.code === "refresh_invalid") {
        await dropRecord(this.#storage, this.#key);
      }
      throw error;
    }
  }

  async #keep(deviceId: string, pair: TokenPair): Promise<SessionRecord> {
    const record = { deviceId, receivedAt: Date.now(), pair };
    await this.#storage.set(this.#key, JSON.stringify(record));
    return record;
  }
}

function info({ deviceId, receivedAt, pair }: SessionRecord): SessionInfo {
  const { accessToken: _access, refreshToken: _refresh, ...allowed } = pair;
  return { ...allowed, deviceId, receivedAt };
}
