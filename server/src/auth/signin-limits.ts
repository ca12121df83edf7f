import { createHash } from "node:crypto";
import type { Limiter, Verdict } from "../ops/limiter.js";

/** Which limit refused an attempt. */
export type LimitName = "address" | "login" | "odoo";

export type Admission =
  { ok: true; attempt: Attempt } | { ok: false; limit: LimitName; retryAfterMs: number };

/** An admitted sign-in attempt: it either failed (its points stay) or it did not count. */
export interface Attempt {
  /** Odoo refused the credentials. */
  failed(): Promise<void>;
  /** Odoo accepted them, or could not be asked: the points go back. */
  release(): Promise<void>;
}

/**
 * Failed sign-ins, limited three ways. Per client address and per login, an attempt takes its
 * point before Odoo is asked and gives it back unless it failed, so that parallel guesses cannot
 * all pass one check before any failure is counted. Per tenant, failures reaching that Odoo from
 * every address together are counted as they happen: Odoo locks out the hub's own address (and
 * so every user of it) after `base.login_cooldown_after` failures, and this keeps them well
 * below it. Counting attempts there too would refuse a crowd signing in at once.
 */
export class SigninLimits {
  constructor(private readonly limiters: Record<LimitName, Limiter>) {}

  async admit(tenant: string, address: string, login: string): Promise<Admission> {
    const odoo = await this.odooVerdict(tenant);
    if (!odoo.ok) return { ok: false, limit: "odoo", retryAfterMs: odoo.retryAfterMs };
    const keys: [Exclude<LimitName, "odoo">, string][] = [
      ["address", address],
      ["login", loginKey(tenant, login)],
    ];
    const verdicts = await Promise.all(keys.map(([name, key]) => this.limiters[name].take(key)));
    const refusal = verdicts.findIndex((v) => !v.ok);
    const taken = keys.filter((_, i) => verdicts[i]?.ok === true);
    const giveBack = () => Promise.all(taken.map(([name, key]) => this.limiters[name].refund(key)));
    if (refusal >= 0) {
      await giveBack();
      const verdict = verdicts[refusal] as Verdict & { ok: false };
      return { ok: false, limit: keys[refusal]![0], retryAfterMs: verdict.retryAfterMs };
    }
    const attempt = {
      failed: async () => void (await this.odooFailed(tenant)),
      release: async () => void (await giveBack()),
    };
    return { ok: true, attempt };
  }

  /** Whether the tenant's Odoo may be sent another authentication now. */
  odooVerdict(tenant: string): Promise<Verdict> {
    return this.limiters.odoo.check(tenant);
  }

  /** Odoo refused an authentication the hub sent (a user's, or the service account's). */
  async odooFailed(tenant: string): Promise<void> {
    await this.limiters.odoo.take(tenant);
  }
}

/** Logins are hashed so that the limiter's keys (in Redis, too) hold no user names. */
function loginKey(tenant: string, login: string): string {
  const digest = createHash("sha256").update(login.trim().toLowerCase()).digest("base64url");
  return `${tenant}:${digest}`;
}
