import { ModelName } from "@odoo-live/protocol";
import { z } from "zod";

/** A payload path that names the users an event is routed to, e.g. `user_id` (a many2one). */
export const Route = z.strictObject({
  field: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/),
  /** Limit the route to these models; absent = every model. */
  models: z.array(z.string()).optional(),
});
export type Route = z.infer<typeof Route>;

export const PushSettings = z.strictObject({
  /** The secret Odoo's subscriber sends as Bearer, Basic or in `header`. */
  token: z.string().min(16, "must be at least 16 characters").optional(),
  /** Header for Odoo's `api_key` auth type (lower case; Odoo's default is X-API-Key). */
  header: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/)
    .transform((h) => h.toLowerCase())
    .default("x-api-key"),
  /** Accept pushes without credentials (Odoo then sends `Authorization: Bearer False`). */
  allowUnauthenticated: z.boolean().default(false),
  /** Sustained pushes per second allowed for the tenant, and the burst above it. */
  ratePerSecond: z.number().positive().default(500),
  burst: z.number().int().positive().default(1000),
});
export type PushSettings = z.infer<typeof PushSettings>;

const ms = (fallback: number) => z.number().int().nonnegative().default(fallback);

export const PullSettings = z.strictObject({
  enabled: z.boolean().default(true),
  /** Idle time between polls when Odoo has nothing more. */
  intervalMs: ms(1000),
  pageSize: z.number().int().min(1).max(1000).default(500),
  /**
   * How long an id gap below a row already read is waited for before the watermark passes it:
   * Postgres assigns ids at insert and shows rows at commit (Odoo's own bus waits 10 s).
   */
  lateCommitWindowMs: ms(10_000),
  /** Call `/mark-processed` after rows are logged. Global in Odoo: hides rows from every reader. */
  markProcessed: z.boolean().default(false),
  /** With no stored pull cursor: read the whole unprocessed ledger, or start after its newest row. */
  start: z.enum(["latest", "earliest"]).default("latest"),
  maxBackoffMs: ms(30_000),
  /** After Odoo refused the credentials (401, 403): they stay refused until someone changes them. */
  authRetryMs: ms(60_000),
});
export type PullSettings = z.infer<typeof PullSettings>;

export const SyncStateSettings = z.strictObject({
  /** Write acknowledged ledger positions to Odoo's `user.sync.state`. */
  mirror: z.boolean().default(true),
  flushIntervalMs: ms(1000),
  maxRequestsPerSecond: z.number().positive().default(20),
  /**
   * Most devices the mirror holds, waiting and remembered: a device in both costs about 700
   * bytes (measured), so 35 MB at the default. Past it, the device that waited longest is
   * dropped (its Odoo cursor then lags: a deep resume replays more, never less).
   */
  maxDevices: z.number().int().positive().default(50_000),
  /**
   * A device's Odoo position is forgotten this long after its last write (re-read on the next),
   * and a device whose writes have failed this long is dropped.
   */
  forgetAfterMs: z.number().int().positive().default(3_600_000),
});
export type SyncStateSettings = z.infer<typeof SyncStateSettings>;

/** A user's id and API key (or password) for external JSON-RPC. */
const RpcAccount = z.strictObject({ uid: z.number().int().positive(), key: z.string().min(1) });

/** Sign-in with Odoo (`POST /auth/odoo`): off unless set. */
export const SigninSettings = z
  .strictObject({
    /** The models devices may stream; a token gets those of them the user may read in Odoo. */
    models: z.array(ModelName).min(1),
    /** Lifetime of the hub access tokens it mints (the Socket.IO session's). */
    accessTtlS: z.number().int().min(60).max(86_400).default(900),
    /** Lifetime of a refresh token: a device that does not refresh for this long signs in again. */
    refreshTtlS: z
      .number()
      .int()
      .min(300)
      .max(90 * 86_400)
      .default(7 * 86_400),
    /**
     * The account sign-in asks Odoo about users with (active, companies, groups, access rules);
     * default `odoo.rpc`. Its own, so that sign-in does not switch the ledger to JSON-RPC.
     */
    rpc: RpcAccount.optional(),
  })
  .refine((s) => s.refreshTtlS > s.accessTtlS, {
    message: "must be longer than accessTtlS",
    path: ["refreshTtlS"],
  });
export type SigninSettings = z.infer<typeof SigninSettings>;

export const OdooSettings = z
  .strictObject({
    url: z.url(),
    db: z.string().min(1).optional(),
    /** The module's `webhook.api_key`: the REST pull and sync-state API. */
    apiKey: z.string().min(1).optional(),
    /**
     * A user's API key for JSON-RPC ledger reads, which also see rows others marked processed,
     * and for sign-in's questions about a user (active, companies, access rights).
     */
    rpc: RpcAccount.optional(),
    timeoutMs: z.number().int().positive().default(10_000),
    pull: PullSettings.default(PullSettings.parse({})),
    syncState: SyncStateSettings.default(SyncStateSettings.parse({})),
    signin: SigninSettings.optional(),
  })
  .refine((o) => o.apiKey !== undefined || o.rpc !== undefined, {
    message: "an Odoo instance needs apiKey (webhook.api_key) or rpc (a user's API key)",
    path: ["apiKey"],
  })
  // A refresh asks Odoo about the user again without the user's secret: with this account.
  .refine(
    (o) => o.signin === undefined || (o.db !== undefined && (o.signin.rpc ?? o.rpc) !== undefined),
    {
      message:
        "sign-in needs odoo.db and an account: odoo.signin.rpc or odoo.rpc (ODOO_DB, and ODOO_SIGNIN_RPC_UID/ODOO_SIGNIN_RPC_KEY or ODOO_RPC_UID/ODOO_RPC_KEY): a user allowed to read users, groups and access rules, with whom the hub asks about a user on every refresh",
      path: ["signin"],
    },
  );
export type OdooSettings = z.infer<typeof OdooSettings>;

export const Tenant = z
  .strictObject({
    push: PushSettings.default(PushSettings.parse({})),
    odoo: OdooSettings.optional(),
    /** Payload fields naming the users who receive an event; default: the record's `user_id`. */
    routes: z.array(Route).default([{ field: "user_id" }]),
  })
  .refine((t) => t.push.token !== undefined || t.push.allowUnauthenticated, {
    message: "push.token is required unless push.allowUnauthenticated is true",
    path: ["push", "token"],
  });
export type Tenant = z.infer<typeof Tenant>;

export const TenantId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "must be a tenant id (a-z, 0-9, _ and -)");

/** `HUB_TENANTS_FILE`: `{ "tenants": { "<id>": Tenant } }`. */
export const TenantsFile = z.strictObject({
  tenants: z
    .record(TenantId, Tenant)
    .refine((t) => Object.keys(t).length > 0, "must name at least one tenant"),
});
export type TenantsFile = z.infer<typeof TenantsFile>;
