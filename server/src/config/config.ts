import { createPublicKey, createSecretKey, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { Tenant, TenantsFile } from "./tenants.js";
import { DEV_JWT_SECRET, DEV_PUSH_TOKEN } from "./dev-defaults.js";
import { checkCanSign, privateKeyFor } from "./jwt-signing.js";
import type { LimitRate } from "../ops/limiter.js";
import { DEDUPE_MAX_KEYS } from "../log/dedupe-window.js";

const PREFIXES = ["HUB_", "JWT_", "ODOO_", "PUSH_", "REDIS_"];

const int = (min: number) => z.coerce.number().int().min(min);
const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const list = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

/** See `Config.signinLimits`. */
export interface SigninLimits {
  perAddress: LimitRate;
  perLogin: LimitRate;
  perTenant: LimitRate;
}

/** A Redis Cluster node to start from (the client discovers the others). */
export interface ClusterNode {
  host: string;
  port: number;
}

/** `host:port`, `[ipv6]:port`; undefined when malformed. */
function clusterNode(entry: string): ClusterNode | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]/]+)):(\d{1,5})$/.exec(entry);
  const port = Number(match?.[3]);
  const host = match?.[1] ?? match?.[2];
  if (host === undefined || !(port >= 1 && port <= 65535)) return undefined;
  return { host, port };
}

/** Every setting the hub reads from the environment. */
const Env = z.object({
  NODE_ENV: z.string().optional(),
  PORT: int(0).max(65535).default(8080),
  HOST: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  JWT_PUBLIC_KEY: z.string().min(1).optional(),
  JWT_PRIVATE_KEY: z.string().min(1).optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL" })
    .optional(),
  REDIS_CLUSTER_NODES: z
    .string()
    .transform((value, ctx) => {
      const nodes = value.split(",").map((entry) => entry.trim());
      const parsed = nodes.map((entry) => clusterNode(entry));
      const bad = nodes.filter((_, i) => parsed[i] === undefined);
      if (bad.length === 0) return parsed as ClusterNode[];
      ctx.addIssue({
        code: "custom",
        message: `must be host:port,host:port,… (not ${bad.map((b) => JSON.stringify(b)).join(", ")})`,
      });
      return z.NEVER;
    })
    .optional(),
  HUB_REDIS_PREFIX: z
    .string()
    .regex(/^[^{}]*$/, "must not contain braces (the tenant is the Cluster hash tag)")
    .default("odoo-live:"),
  HUB_ACK_LINGER_MS: int(0).max(1000).default(20),
  HUB_TENANTS_FILE: z.string().min(1).optional(),
  ODOO_URL: z.url().optional(),
  ODOO_DB: z.string().min(1).optional(),
  ODOO_API_KEY: z.string().min(1).optional(),
  ODOO_RPC_UID: int(1).optional(),
  ODOO_RPC_KEY: z.string().min(1).optional(),
  ODOO_PULL: bool.optional(),
  ODOO_PULL_INTERVAL_MS: int(0).optional(),
  ODOO_PULL_START: z.enum(["latest", "earliest"]).optional(),
  ODOO_LATE_COMMIT_WINDOW_MS: int(0).optional(),
  ODOO_MARK_PROCESSED: bool.optional(),
  ODOO_SYNC_STATE_MIRROR: bool.optional(),
  ODOO_SIGNIN_MODELS: list.optional(),
  ODOO_SIGNIN_ACCESS_TTL_S: int(0).optional(),
  ODOO_SIGNIN_REFRESH_TTL_S: int(0).optional(),
  ODOO_SIGNIN_RPC_UID: int(1).optional(),
  ODOO_SIGNIN_RPC_KEY: z.string().min(1).optional(),
  PUSH_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  PUSH_HEADER: z.string().optional(),
  PUSH_ALLOW_UNAUTHENTICATED: bool.optional(),
  HUB_RETENTION_COUNT: int(1).default(10_000),
  HUB_RETENTION_SECONDS: int(1).default(24 * 3600),
  HUB_DEDUPE_SECONDS: int(1).default(24 * 3600),
  // Why this default: see dedupe-window.ts.
  HUB_DEDUPE_MAX_KEYS: int(1000).default(DEDUPE_MAX_KEYS),
  HUB_MAX_BODY_BYTES: int(1024).default(2 * 1024 * 1024),
  // The module's bodies nest 4 levels (body, data, an x2many, its {id, name}); JSON fields and
  // properties add a few. 64 leaves room for those and is far below where the recursive walks
  // after parsing overflow the stack (a few thousand levels), which the upper bound keeps so.
  HUB_MAX_JSON_DEPTH: int(8).max(1000).default(64),
  // Each user an event is routed to costs the embedded log about 19 bytes while the event is
  // retained, and about 270 more for a user it has not indexed yet (measured), against 2-8 bytes
  // of body per bare id. 100 bounds one push to about 30 KB (10,000 retained: 19 MB known users,
  // 270 MB all new ones), well above the users a record names (a salesperson, a task's
  // assignees); an event for more users is a broadcast: subscribe the devices to its model.
  HUB_MAX_ROUTED_USERS: int(1).default(100),
  HUB_CONNECT_RATE_PER_IP: int(1).default(100),
  HUB_CONNECT_BURST_PER_IP: int(1).default(1000),
  HUB_PUSH_AUTH_FAILURES_PER_MINUTE: int(1).default(30),
  // Odoo locks the hub's address out after 10 failures in a row (base.login_cooldown_after):
  // at most 4 a minute reach it (8 across two fixed windows), and one address alone (3) cannot
  // use them up for everyone. README "Sign in with Odoo" says what remains.
  HUB_SIGNIN_FAILURES_PER_ADDRESS: int(1).default(3),
  HUB_SIGNIN_FAILURES_PER_LOGIN: int(1).default(5),
  HUB_SIGNIN_ODOO_FAILURES_PER_MINUTE: int(1).default(4),
  HUB_TOKEN_EXPIRING_LEAD_MS: int(0).default(60_000),
  HUB_COVERAGE_WAIT_MS: int(0).default(10_000),
  HUB_SHUTDOWN_TIMEOUT_MS: int(0).default(10_000),
  HUB_CORS_ORIGINS: list.optional(),
  HUB_TRUST_PROXY: bool.default(false),
  HUB_PULL_LEASE_TTL_MS: int(300).default(5000),
  HUB_METRICS_PORT: int(0).max(65535).optional(),
  HUB_ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
});
type Env = z.infer<typeof Env>;

export interface JwtConfig {
  algorithm: "HS256" | "RS256" | "ES256";
  key: KeyObject;
  /** What the hub signs the tokens it mints with (sign-in): the secret, or JWT_PRIVATE_KEY. */
  signingKey: KeyObject | undefined;
  issuer: string | undefined;
  audience: string | undefined;
}

export interface Config {
  production: boolean;
  port: number;
  host: string;
  logLevel: Env["LOG_LEVEL"];
  jwt: JwtConfig;
  tenants: ReadonlyMap<string, Tenant>;
  retention: { maxCount: number; maxAgeMs: number };
  dedupeMs: number;
  /** Most dedupe keys per tenant (past it, the oldest are forgotten before their window ends). */
  dedupeMaxKeys: number;
  maxBodyBytes: number;
  /** Deepest nesting of objects and arrays in a push body (400 beyond). */
  maxJsonDepth: number;
  /** Most users one event may be routed to (a push naming more: 400). */
  maxRoutedUsers: number;
  /** Socket.IO handshakes per client address (every node together when hubs share Redis). */
  connectRate: { perSecond: number; burst: number };
  /** Failed push authentications per client address per minute, then 429 until the minute ends. */
  pushAuthFailuresPerMinute: number;
  /**
   * Failed sign-ins allowed per client address (a minute), per login (15 minutes), and reaching
   * one tenant's Odoo from every address together (a minute); then 429 until the window ends.
   */
  signinLimits: SigninLimits;
  /** How long before a session's token expires the hub sends `token_expiring`. */
  tokenExpiringLeadMs: number;
  /** How long a resuming device waits for a starting puller's ledger coverage. */
  coverageWaitMs: number;
  shutdownTimeoutMs: number;
  corsOrigins: string[];
  /** Take the client's address from X-Forwarded-For (behind a load balancer that sets it). */
  trustProxy: boolean;
  /** How long a tenant's pull lease lasts unless renewed: how long a dead puller blocks others. */
  pullLeaseTtlMs: number;
  /** Serve `/metrics` on this port (on HOST) instead of the public one; absent: the public port. */
  metricsPort: number | undefined;
  /** Turns on the admin page at `/admin`, and is what it asks for; absent: no admin page. */
  adminToken: string | undefined;
  /**
   * Shared state for several hubs, on one Redis (`url`) or a Redis Cluster (`clusterNodes`);
   * absent: the embedded, in-memory hub.
   */
  redis:
    | (({ url: string } | { clusterNodes: ClusterNode[] }) & {
        prefix: string;
        /** How long a node's first ack waits for others to share its Redis script call. */
        ackLingerMs: number;
      })
    | undefined;
  /** Settings that fell back to development defaults, to print at start-up. */
  devDefaults: string[];
}

/** Start-up stops with every problem listed, each naming its setting. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export function loadConfig(processEnv: NodeJS.ProcessEnv, readFile = readText): Config {
  // `PORT=` in a shell or compose file means "not set", never "0" or "".
  const env = Object.fromEntries(Object.entries(processEnv).filter(([, v]) => v !== ""));
  const unknown = Object.keys(env).filter(
    (k) => PREFIXES.some((p) => k.startsWith(p)) && !(k in Env.shape),
  );
  const parsed = Env.safeParse(env);
  const problems = unknown.map((k) => `${k}: unknown setting`);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return build(parsed.data, readFile);
}

function build(env: Env, readFile: (path: string) => string): Config {
  const production = env.NODE_ENV === "production";
  const devDefaults: string[] = [];
  const problems: string[] = [];
  const jwt = jwtConfig(env, production, devDefaults, problems);
  const tenants = tenantsConfig(env, production, devDefaults, problems, readFile);
  if (jwt !== undefined) checkCanSign(jwt, tenants, problems);
  if (env.REDIS_URL !== undefined && env.REDIS_CLUSTER_NODES !== undefined)
    problems.push("REDIS_URL, REDIS_CLUSTER_NODES: set one, not both");
  if (problems.length > 0 || jwt === undefined) throw new ConfigError(problems);
  return {
    production,
    port: env.PORT,
    host: env.HOST ?? (devDefaults.length > 0 ? "127.0.0.1" : "0.0.0.0"),
    logLevel: env.LOG_LEVEL,
    jwt,
    tenants,
    retention: { maxCount: env.HUB_RETENTION_COUNT, maxAgeMs: env.HUB_RETENTION_SECONDS * 1000 },
    dedupeMs: env.HUB_DEDUPE_SECONDS * 1000,
    dedupeMaxKeys: env.HUB_DEDUPE_MAX_KEYS,
    maxBodyBytes: env.HUB_MAX_BODY_BYTES,
    maxJsonDepth: env.HUB_MAX_JSON_DEPTH,
    maxRoutedUsers: env.HUB_MAX_ROUTED_USERS,
    connectRate: { perSecond: env.HUB_CONNECT_RATE_PER_IP, burst: env.HUB_CONNECT_BURST_PER_IP },
    pushAuthFailuresPerMinute: env.HUB_PUSH_AUTH_FAILURES_PER_MINUTE,
    signinLimits: {
      perAddress: { points: env.HUB_SIGNIN_FAILURES_PER_ADDRESS, windowS: 60 },
      perLogin: { points: env.HUB_SIGNIN_FAILURES_PER_LOGIN, windowS: 15 * 60 },
      perTenant: { points: env.HUB_SIGNIN_ODOO_FAILURES_PER_MINUTE, windowS: 60 },
    },
    tokenExpiringLeadMs: env.HUB_TOKEN_EXPIRING_LEAD_MS,
    coverageWaitMs: env.HUB_COVERAGE_WAIT_MS,
    shutdownTimeoutMs: env.HUB_SHUTDOWN_TIMEOUT_MS,
    corsOrigins: env.HUB_CORS_ORIGINS ?? [],
    trustProxy: env.HUB_TRUST_PROXY,
    pullLeaseTtlMs: env.HUB_PULL_LEASE_TTL_MS,
    metricsPort: env.HUB_METRICS_PORT,
    adminToken: env.HUB_ADMIN_TOKEN,
    redis: redisConfig(env),
    devDefaults,
  };
}

function redisConfig(env: Env): Config["redis"] {
  const shared = { prefix: env.HUB_REDIS_PREFIX, ackLingerMs: env.HUB_ACK_LINGER_MS };
  if (env.REDIS_URL !== undefined) return { url: env.REDIS_URL, ...shared };
  if (env.REDIS_CLUSTER_NODES !== undefined)
    return { clusterNodes: env.REDIS_CLUSTER_NODES, ...shared };
  return undefined;
}

function jwtConfig(env: Env, production: boolean, devDefaults: string[], problems: string[]) {
  const base = { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE };
  if (env.JWT_SECRET !== undefined && env.JWT_PUBLIC_KEY !== undefined) {
    problems.push("JWT_SECRET, JWT_PUBLIC_KEY: set one, not both");
    return undefined;
  }
  if (env.JWT_PUBLIC_KEY !== undefined) {
    const verify = publicKeyConfig(env.JWT_PUBLIC_KEY, base, problems);
    return (
      verify && { ...verify, signingKey: privateKeyFor(env.JWT_PRIVATE_KEY, verify, problems) }
    );
  }
  if (env.JWT_PRIVATE_KEY !== undefined)
    problems.push(
      "JWT_PRIVATE_KEY: only with JWT_PUBLIC_KEY (with JWT_SECRET the hub signs with it)",
    );
  if (env.JWT_SECRET !== undefined) return secretConfig(env.JWT_SECRET, base);
  if (production) {
    problems.push("JWT_SECRET: required when NODE_ENV=production (or set JWT_PUBLIC_KEY)");
    return undefined;
  }
  devDefaults.push(`JWT_SECRET=${DEV_JWT_SECRET}`);
  return secretConfig(DEV_JWT_SECRET, base);
}

/**
 * HS256 with the secret as a KeyObject, made once: given a string, jsonwebtoken tries to read it
 * as a public key first on every verify (a thrown parse error per handshake, 3-4 % of a hub's
 * CPU during a reconnect storm).
 */
function secretConfig(secret: string, base: Pick<JwtConfig, "issuer" | "audience">): JwtConfig {
  const key = createSecretKey(Buffer.from(secret, "utf8"));
  return { algorithm: "HS256", key, signingKey: key, ...base };
}

function publicKeyConfig(
  pem: string,
  base: Pick<JwtConfig, "issuer" | "audience">,
  problems: string[],
) {
  try {
    const key = createPublicKey(pem.replace(/\\n/g, "\n"));
    const type = key.asymmetricKeyType;
    if (type === "rsa") return { algorithm: "RS256" as const, key, ...base };
    // ES256 is ECDSA on P-256 only; another curve would start a hub that rejects every token.
    if (type === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") {
      return { algorithm: "ES256" as const, key, ...base };
    }
    const kind =
      type === "ec"
        ? `EC ${key.asymmetricKeyDetails?.namedCurve ?? "unknown curve"}`
        : (type ?? "unknown");
    problems.push(`JWT_PUBLIC_KEY: ${kind} keys are not supported (use RSA or EC P-256)`);
  } catch (error) {
    problems.push(`JWT_PUBLIC_KEY: not a PEM public key (${(error as Error).message})`);
  }
  return undefined;
}

function tenantsConfig(
  env: Env,
  production: boolean,
  devDefaults: string[],
  problems: string[],
  readFile: (path: string) => string,
): Map<string, Tenant> {
  const shortcuts = [
    ...ODOO_SHORTCUTS,
    "PUSH_TOKEN",
    "PUSH_HEADER",
    "PUSH_ALLOW_UNAUTHENTICATED",
  ] as const;
  if (env.HUB_TENANTS_FILE !== undefined) {
    const used = shortcuts.filter((k) => env[k] !== undefined);
    if (used.length > 0)
      problems.push(`${used.join(", ")}: not allowed together with HUB_TENANTS_FILE`);
    return fileTenants(env.HUB_TENANTS_FILE, problems, readFile);
  }
  return new Map([["default", defaultTenant(env, production, devDefaults, problems)]]);
}

function defaultTenant(
  env: Env,
  production: boolean,
  devDefaults: string[],
  problems: string[],
): Tenant {
  let token = env.PUSH_TOKEN;
  const open = env.PUSH_ALLOW_UNAUTHENTICATED ?? false;
  if (token === undefined && !open) {
    if (production)
      problems.push(
        "PUSH_TOKEN: required when NODE_ENV=production (or PUSH_ALLOW_UNAUTHENTICATED=true)",
      );
    else devDefaults.push(`PUSH_TOKEN=${DEV_PUSH_TOKEN}`);
    token = DEV_PUSH_TOKEN;
  }
  const odoo = env.ODOO_URL === undefined ? undefined : odooShortcuts(env, env.ODOO_URL);
  const orphans = ODOO_SHORTCUTS.filter((k) => k !== "ODOO_URL" && env[k] !== undefined);
  if (odoo === undefined && orphans.length > 0) {
    problems.push(`ODOO_URL: required when ${orphans.join(", ")} is set`);
  }
  const parsed = Tenant.safeParse({
    push: { token, header: env.PUSH_HEADER, allowUnauthenticated: open },
    odoo,
  });
  if (parsed.success) return parsed.data;
  problems.push(...parsed.error.issues.map((i) => `${envNameOf(i.path)}: ${i.message}`));
  return Tenant.parse({ push: { allowUnauthenticated: true } });
}

const ODOO_SHORTCUTS = [
  "ODOO_URL",
  "ODOO_DB",
  "ODOO_API_KEY",
  "ODOO_RPC_UID",
  "ODOO_RPC_KEY",
  "ODOO_PULL",
  "ODOO_PULL_INTERVAL_MS",
  "ODOO_PULL_START",
  "ODOO_LATE_COMMIT_WINDOW_MS",
  "ODOO_MARK_PROCESSED",
  "ODOO_SYNC_STATE_MIRROR",
  "ODOO_SIGNIN_MODELS",
  "ODOO_SIGNIN_ACCESS_TTL_S",
  "ODOO_SIGNIN_REFRESH_TTL_S",
  "ODOO_SIGNIN_RPC_UID",
  "ODOO_SIGNIN_RPC_KEY",
] as const;

/** Tenant `default`'s Odoo settings from the single-tenant environment variables. */
function odooShortcuts(env: Env, url: string) {
  return {
    url,
    db: env.ODOO_DB,
    apiKey: env.ODOO_API_KEY,
    rpc: pair(env.ODOO_RPC_UID, env.ODOO_RPC_KEY),
    pull: {
      enabled: env.ODOO_PULL,
      intervalMs: env.ODOO_PULL_INTERVAL_MS,
      start: env.ODOO_PULL_START,
      lateCommitWindowMs: env.ODOO_LATE_COMMIT_WINDOW_MS,
      markProcessed: env.ODOO_MARK_PROCESSED,
    },
    syncState: { mirror: env.ODOO_SYNC_STATE_MIRROR },
    signin: signinShortcuts(env),
  };
}

/** `odoo.signin` from ODOO_SIGNIN_*: on when ODOO_SIGNIN_MODELS is set. */
function signinShortcuts(env: Env) {
  const settings = {
    accessTtlS: env.ODOO_SIGNIN_ACCESS_TTL_S,
    refreshTtlS: env.ODOO_SIGNIN_REFRESH_TTL_S,
    rpc: pair(env.ODOO_SIGNIN_RPC_UID, env.ODOO_SIGNIN_RPC_KEY),
  };
  if (env.ODOO_SIGNIN_MODELS !== undefined) return { models: env.ODOO_SIGNIN_MODELS, ...settings };
  // Parsed as a sign-in without models, so that the error names ODOO_SIGNIN_MODELS.
  return Object.values(settings).some((v) => v !== undefined) ? settings : undefined;
}

/** `{ uid, key }` when either is set (the schema then names the one missing). */
function pair(uid: number | undefined, key: string | undefined) {
  return uid === undefined && key === undefined ? undefined : { uid, key };
}

function envNameOf(path: PropertyKey[]): string {
  const names: Record<string, string> = {
    "push.token": "PUSH_TOKEN",
    "push.header": "PUSH_HEADER",
    "odoo.url": "ODOO_URL",
    "odoo.apiKey": "ODOO_API_KEY",
    "odoo.db": "ODOO_DB",
    "odoo.rpc.uid": "ODOO_RPC_UID",
    "odoo.rpc.key": "ODOO_RPC_KEY",
    "odoo.signin": "ODOO_SIGNIN_MODELS",
    "odoo.signin.models": "ODOO_SIGNIN_MODELS",
    "odoo.signin.accessTtlS": "ODOO_SIGNIN_ACCESS_TTL_S",
    "odoo.signin.refreshTtlS": "ODOO_SIGNIN_REFRESH_TTL_S",
    "odoo.signin.rpc.uid": "ODOO_SIGNIN_RPC_UID",
    "odoo.signin.rpc.key": "ODOO_SIGNIN_RPC_KEY",
  };
  // The longest named prefix: `odoo.signin.models.0` is ODOO_SIGNIN_MODELS.
  const parts = path.map(String);
  for (let n = parts.length; n > 0; n--) {
    const name = names[parts.slice(0, n).join(".")];
    if (name !== undefined) return name;
  }
  return parts.join(".");
}

function fileTenants(
  path: string,
  problems: string[],
  readFile: (path: string) => string,
): Map<string, Tenant> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFile(path));
  } catch (error) {
    problems.push(`HUB_TENANTS_FILE: cannot read ${path} as JSON (${(error as Error).message})`);
    return new Map();
  }
  const parsed = TenantsFile.safeParse(raw);
  if (!parsed.success) {
    problems.push(
      ...parsed.error.issues.map(
        (i) => `HUB_TENANTS_FILE ${i.path.map(String).join(".") || "(root)"}: ${i.message}`,
      ),
    );
    return new Map();
  }
  return new Map(Object.entries(parsed.data.tenants));
}

function readText(path: string): string {
  return readFileSync(path, "utf8");
}
