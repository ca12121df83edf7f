import { createHmac } from "node:crypto";
import { secretEquals } from "../ingest/push-auth.js";

/** How long a login lasts. */
export const SESSION_MS = 12 * 3600_000;

/**
 * The admin login cookie: its expiry and an HMAC of it keyed by HUB_ADMIN_TOKEN. Nothing is
 * stored, so it holds on every hub node and across restarts, and changing the token ends every
 * session; the token itself never leaves the login request.
 */
export class AdminSessions {
  constructor(
    private readonly token: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session's cookie value. */
  issue(): string {
    const expires = this.now() + SESSION_MS;
    return `${expires}.${this.sign(expires)}`;
  }

  valid(value: string | undefined): boolean {
    const match = /^(\d{1,15})\.([\w-]{43})$/.exec(value ?? "");
    if (match === null) return false;
    const expires = Number(match[1]);
    return expires > this.now() && secretEquals(this.sign(expires), match[2] ?? "");
  }

  /** The token itself, as a bearer header or the login form sends it. */
  matches(presented: string): boolean {
    return secretEquals(presented, this.token);
  }

  private sign(expires: number): string {
    return createHmac("sha256", this.token)
      .update(`odoo-live-admin:${expires}`)
      .digest("base64url");
  }
}
