import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig, type Config } from "@odoo-live/server";
import { afterAll, describe, expect, test } from "vitest";

const SECRET = "a-jwt-secret-of-at-least-32-characters!!";
const TOKEN = "a-push-token-0123456789";

const readFileOf = (path: string): string => readFileSync(path, "utf8");

const noFile = (path: string): string => {
  throw new Error(`unexpected read of ${path}`);
};

/** The problems a ConfigError lists; fails the test if loading succeeds or throws anything else. */
function problemsOf(env: NodeJS.ProcessEnv, readFile: (path: string) => string = noFile): string[] {
  let config: Config | undefined;
  try {
    config = loadConfig(env, readFile);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect((error as ConfigError).message).toContain(problems[0]);
    return problems;
  }
  expect.fail(`expected a ConfigError, got a config for port ${config.port}`);
}

function problemNaming(problems: string[], name: string): string {
  const found = problems.find((p) => p.includes(name));
  expect(found, `no problem names ${name} in ${JSON.stringify(problems)}`).toBeDefined();
  return found!;
}

function pem(type: "rsa" | "ec-p256" | "ec-p384" | "ed25519"): string {
  const keyOf = () => {
    switch (type) {
      case "rsa":
        return generateKeyPairSync("rsa", { modulusLength: 2048 });
      case "ec-p256":
        return generateKeyPairSync("ec", { namedCurve: "P-256" });
      case "ec-p384":
        return generateKeyPairSync("ec", { namedCurve: "P-384" });
      case "ed25519":
        return generateKeyPairSync("ed25519");
    }
  };
  return keyOf().publicKey.export({ type: "spki", format: "pem" }).toString();
}

describe("environment defaults", () => {
  test("an empty environment runs with printed dev defaults on loopback, port 8080", () => {
    const config = loadConfig({}, noFile);
    expect(config.port).toBe(8080);
    expect(config.host).toBe("127.0.0.1");
    expect(config.production).toBe(false);
    expect(config.jwt.algorithm).toBe("HS256");
    expect(config.devDefaults).toHaveLength(2);
    expect(config.devDefaults.some((d) => d.startsWith("JWT_SECRET="))).toBe(true);
    expect(config.devDefaults.some((d) => d.startsWith("PUSH_TOKEN="))).toBe(true);
    expect([...config.tenants.keys()]).toEqual(["default"]);
    const tenant = config.tenants.get("default")!;
    expect(tenant.push.token).toBeDefined();
    expect(tenant.push.header).toBe("x-api-key");
    expect(tenant.push.allowUnauthenticated).toBe(false);
    expect(tenant.routes).toEqual([{ field: "user_id" }]);
    expect(config.retention).toEqual({ maxCount: 10_000, maxAgeMs: 24 * 3600 * 1000 });
    expect(config.maxBodyBytes).toBe(2 * 1024 * 1024);
    expect(config.dedupeMaxKeys).toBe(250_000);
    expect([config.maxJsonDepth, config.maxRoutedUsers]).toEqual([64, 100]);
    expect(config.logLevel).toBe("info");
  });

  test("with real secrets set, no dev default is used and the hub binds every interface", () => {
    const config = loadConfig({ JWT_SECRET: SECRET, PUSH_TOKEN: TOKEN, PORT: "9000" }, noFile);
    expect(config.devDefaults).toEqual([]);
    expect(config.host).toBe("0.0.0.0");
    expect(config.port).toBe(9000);
    expect(config.jwt.algorithm).toBe("HS256");
    expect(config.jwt.key.export().toString("utf8")).toBe(SECRET);
    expect(config.tenants.get("default")!.push.token).toBe(TOKEN);
  });

  test("HOST, JWT_ISSUER, JWT_AUDIENCE, PUSH_HEADER and the ODOO_* shortcuts are applied", () => {
    const config = loadConfig(
      {
        HOST: "::",
        JWT_SECRET: SECRET,
        JWT_ISSUER: "odoo",
        JWT_AUDIENCE: "odoo-live",
        PUSH_TOKEN: TOKEN,
        PUSH_HEADER: "X-Odoo-Secret",
        ODOO_URL: "https://odoo.example.com",
        ODOO_DB: "prod",
        ODOO_API_KEY: "key",
      },
      noFile,
    );
    expect(config.host).toBe("::");
    expect(config.jwt).toMatchObject({ issuer: "odoo", audience: "odoo-live" });
    const tenant = config.tenants.get("default")!;
    expect(tenant.push.header).toBe("x-odoo-secret");
    expect(tenant.odoo).toMatchObject({
      url: "https://odoo.example.com",
      db: "prod",
      apiKey: "key",
    });
  });

  test("production without JWT_SECRET and PUSH_TOKEN names both", () => {
    const problems = problemsOf({ NODE_ENV: "production" });
    problemNaming(problems, "JWT_SECRET");
    problemNaming(problems, "PUSH_TOKEN");
  });

  test("production never falls back to dev defaults", () => {
    const config = loadConfig(
      { NODE_ENV: "production", JWT_SECRET: SECRET, PUSH_ALLOW_UNAUTHENTICATED: "true" },
      noFile,
    );
    expect(config.production).toBe(true);
    expect(config.devDefaults).toEqual([]);
    const push = config.tenants.get("default")!.push;
    expect(push.token).toBeUndefined();
    expect(push.allowUnauthenticated).toBe(true);
  });

  test("misspelled and unknown settings are named", () => {
    const problems = problemsOf({ JWT_SECRETT: SECRET, HUB_FOO: "1" });
    expect(problemNaming(problems, "JWT_SECRETT")).toMatch(/unknown/);
    expect(problemNaming(problems, "HUB_FOO")).toMatch(/unknown/);
  });

  test("every problem is reported at once", () => {
    const problems = problemsOf({ PORT: "abc", JWT_SECRET: "short", HUB_FOO: "1" });
    problemNaming(problems, "PORT");
    problemNaming(problems, "JWT_SECRET");
    problemNaming(problems, "HUB_FOO");
  });

  test.each([
    ["PORT", "abc"],
    ["PORT", "70000"],
    ["PORT", "-1"],
    ["LOG_LEVEL", "verbose"],
    ["PUSH_ALLOW_UNAUTHENTICATED", "yes"],
    ["HUB_MAX_BODY_BYTES", "10"],
    ["HUB_RETENTION_COUNT", "0"],
    ["HUB_DEDUPE_MAX_KEYS", "10"],
    ["HUB_MAX_JSON_DEPTH", "4"],
    ["HUB_MAX_JSON_DEPTH", "5000"],
    ["HUB_MAX_ROUTED_USERS", "0"],
    ["ODOO_URL", "not a url"],
  ])("%s=%s is named", (name, value) => {
    problemNaming(problemsOf({ JWT_SECRET: SECRET, PUSH_TOKEN: TOKEN, [name]: value }), name);
  });

  test("an empty value means unset: PORT= is 8080, never port 0 (a random port)", () => {
    const config = loadConfig(
      { JWT_SECRET: SECRET, PUSH_TOKEN: TOKEN, PORT: "", HUB_SHUTDOWN_TIMEOUT_MS: "" },
      noFile,
    );
    expect(config.port).toBe(8080);
    expect(config.shutdownTimeoutMs).toBe(10_000);
  });

  test("an empty secret in production counts as missing, not as a dev default", () => {
    const problems = problemsOf({ NODE_ENV: "production", JWT_SECRET: "", PUSH_TOKEN: "" });
    problemNaming(problems, "JWT_SECRET");
    problemNaming(problems, "PUSH_TOKEN");
  });

  test("a JWT_SECRET shorter than 32 characters is named", () => {
    expect(problemNaming(problemsOf({ JWT_SECRET: "too-short" }), "JWT_SECRET")).toMatch(/32/);
  });

  test("a PUSH_TOKEN shorter than 16 characters is named", () => {
    expect(
      problemNaming(problemsOf({ JWT_SECRET: SECRET, PUSH_TOKEN: "short" }), "PUSH_TOKEN"),
    ).toMatch(/16/);
  });

  test("HUB_ADMIN_TOKEN turns the admin page on; shorter than 16 characters it is named", () => {
    expect(loadConfig({}, noFile).adminToken).toBeUndefined();
    expect(loadConfig({ HUB_ADMIN_TOKEN: "an-admin-token-0123" }, noFile).adminToken).toBe(
      "an-admin-token-0123",
    );
    expect(problemNaming(problemsOf({ HUB_ADMIN_TOKEN: "short" }), "HUB_ADMIN_TOKEN")).toMatch(
      /16/,
    );
  });

  test("a PUSH_HEADER that is not a header name is named as PUSH_HEADER", () => {
    problemNaming(
      problemsOf({ JWT_SECRET: SECRET, PUSH_TOKEN: TOKEN, PUSH_HEADER: "X Bad:Header" }),
      "PUSH_HEADER",
    );
  });

  test("ODOO_DB or ODOO_API_KEY without ODOO_URL names ODOO_URL", () => {
    problemNaming(
      problemsOf({ JWT_SECRET: SECRET, PUSH_TOKEN: TOKEN, ODOO_API_KEY: "key" }),
      "ODOO_URL",
    );
  });

  test("REDIS_URL selects Redis; a malformed one is named", () => {
    const config = loadConfig(
      { JWT_SECRET: SECRET, PUSH_TOKEN: TOKEN, REDIS_URL: "redis://localhost:6379" },
      noFile,
    );
    expect(config.redis).toEqual({
      url: "redis://localhost:6379",
      prefix: "odoo-live:",
      ackLingerMs: 20,
    });
    problemNaming(
      problemsOf({ JWT_SECRET: SECRET, PUSH_TOKEN: TOKEN, REDIS_URL: "http://localhost" }),
      "REDIS_URL",
    );
    problemNaming(
      problemsOf({ JWT_SECRET: SECRET, PUSH_TOKEN: TOKEN, HUB_REDIS_PREFIX: "a{b}" }),
      "HUB_REDIS_PREFIX",
    );
    expect(loadConfig({ JWT_SECRET: SECRET, PUSH_TOKEN: TOKEN }, noFile).redis).toBeUndefined();
  });

  test("HUB_ACK_LINGER_MS sets how long acks wait for company on Redis; out of range it is named", () => {
    const base = { JWT_SECRET: SECRET, PUSH_TOKEN: TOKEN, REDIS_URL: "redis://localhost:6379" };
    expect(loadConfig({ ...base, HUB_ACK_LINGER_MS: "0" }, noFile).redis?.ackLingerMs).toBe(0);
    expect(loadConfig({ ...base, HUB_ACK_LINGER_MS: "250" }, noFile).redis?.ackLingerMs).toBe(250);
    for (const bad of ["-1", "1001", "2.5", "soon"])
      problemNaming(problemsOf({ ...base, HUB_ACK_LINGER_MS: bad }), "HUB_ACK_LINGER_MS");
  });

  test("REDIS_CLUSTER_NODES selects a Redis Cluster; malformed, or with REDIS_URL, it is named", () => {
    const base = { JWT_SECRET: SECRET, PUSH_TOKEN: TOKEN };
    const nodes = "10.0.0.1:7000, redis-b:7001,[::1]:7002";
    expect(loadConfig({ ...base, REDIS_CLUSTER_NODES: nodes }, noFile).redis).toEqual({
      clusterNodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "redis-b", port: 7001 },
        { host: "::1", port: 7002 },
      ],
      prefix: "odoo-live:",
      ackLingerMs: 20,
    });
    for (const bad of ["redis-a", "redis-a:0", "redis-a:70000", "a:1,,b:2", "redis://a:1"])
      problemNaming(problemsOf({ ...base, REDIS_CLUSTER_NODES: bad }), "REDIS_CLUSTER_NODES");
    problemNaming(
      problemsOf({ ...base, REDIS_URL: "redis://a:6379", REDIS_CLUSTER_NODES: "a:7000" }),
      "REDIS_CLUSTER_NODES",
    );
  });
});

describe("JWT keys", () => {
  test("JWT_SECRET together with JWT_PUBLIC_KEY is named", () => {
    const problems = problemsOf({
      JWT_SECRET: SECRET,
      JWT_PUBLIC_KEY: pem("rsa"),
      PUSH_TOKEN: TOKEN,
    });
    expect(problemNaming(problems, "JWT_PUBLIC_KEY")).toContain("JWT_SECRET");
  });

  test("an RSA public key pins RS256", () => {
    const config = loadConfig({ JWT_PUBLIC_KEY: pem("rsa"), PUSH_TOKEN: TOKEN }, noFile);
    expect(config.jwt.algorithm).toBe("RS256");
    expect(config.jwt.key).not.toBeTypeOf("string");
  });

  test("an EC P-256 public key pins ES256", () => {
    const config = loadConfig({ JWT_PUBLIC_KEY: pem("ec-p256"), PUSH_TOKEN: TOKEN }, noFile);
    expect(config.jwt.algorithm).toBe("ES256");
  });

  test("a PEM with escaped newlines (one-line env value) is accepted", () => {
    const oneLine = pem("ec-p256").replace(/\n/g, "\\n");
    expect(oneLine).not.toContain("\n");
    const config = loadConfig({ JWT_PUBLIC_KEY: oneLine, PUSH_TOKEN: TOKEN }, noFile);
    expect(config.jwt.algorithm).toBe("ES256");
  });

  test("garbage in JWT_PUBLIC_KEY is named", () => {
    expect(
      problemNaming(
        problemsOf({ JWT_PUBLIC_KEY: "not a key", PUSH_TOKEN: TOKEN }),
        "JWT_PUBLIC_KEY",
      ),
    ).toMatch(/PEM/);
  });

  test("an Ed25519 key (no supported algorithm) is named", () => {
    problemNaming(
      problemsOf({ JWT_PUBLIC_KEY: pem("ed25519"), PUSH_TOKEN: TOKEN }),
      "JWT_PUBLIC_KEY",
    );
  });

  test("an EC key on another curve than P-256 is refused (ES256 cannot verify with it)", () => {
    // jsonwebtoken refuses ES256 with a P-384 key, so accepting it here would start a hub that
    // rejects every token. The config's own message says "use RSA or EC P-256".
    const problem = problemNaming(
      problemsOf({ JWT_PUBLIC_KEY: pem("ec-p384"), PUSH_TOKEN: TOKEN }),
      "JWT_PUBLIC_KEY",
    );
    expect(problem).toContain("P-256");
  });
});

describe("HUB_TENANTS_FILE", () => {
  const dir = mkdtempSync(join(tmpdir(), "odoo-live-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  function file(content: unknown): string {
    const path = join(dir, `tenants-${++n}.json`);
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
    return path;
  }
  const env = (path: string) => ({ JWT_SECRET: SECRET, HUB_TENANTS_FILE: path });

  test("two valid tenants are both loaded, with the default user_id route", () => {
    const path = file({
      tenants: {
        acme: {
          push: { token: "acme-push-token-0123456789" },
          odoo: { url: "https://acme.example.com", apiKey: "acme-webhook-api-key" },
        },
        globex: {
          push: {
            allowUnauthenticated: true,
            header: "X-Odoo-Secret",
            ratePerSecond: 5,
            burst: 10,
          },
          routes: [{ field: "user_ids" }, { field: "team_id.user_id", models: ["crm.lead"] }],
        },
      },
    });
    const config = loadConfig(env(path));
    expect([...config.tenants.keys()].sort()).toEqual(["acme", "globex"]);
    const acme = config.tenants.get("acme")!;
    expect(acme.routes).toEqual([{ field: "user_id" }]);
    expect(acme.push).toMatchObject({
      token: "acme-push-token-0123456789",
      header: "x-api-key",
      burst: 1000,
    });
    expect(acme.odoo?.url).toBe("https://acme.example.com");
    const globex = config.tenants.get("globex")!;
    expect(globex.push).toMatchObject({
      allowUnauthenticated: true,
      header: "x-odoo-secret",
      ratePerSecond: 5,
      burst: 10,
    });
    expect(globex.routes).toEqual([
      { field: "user_ids" },
      { field: "team_id.user_id", models: ["crm.lead"] },
    ]);
    expect(config.tenants.has("default")).toBe(false);
    expect(config.devDefaults).toEqual([]);
  });

  test("an unknown key in a tenant names the tenant's path and the key", () => {
    const path = file({ tenants: { acme: { pushh: { token: "acme-push-token-0123456789" } } } });
    const problem = problemNaming(problemsOf(env(path), readFileOf), "HUB_TENANTS_FILE");
    expect(problem).toContain("tenants.acme");
    expect(problem).toContain("pushh");
  });

  test("an unknown key nested in push names its path", () => {
    const path = file({
      tenants: { acme: { push: { token: "acme-push-token-0123456789", tokn: "x" } } },
    });
    const problem = problemNaming(problemsOf(env(path), readFileOf), "HUB_TENANTS_FILE");
    expect(problem).toContain("tenants.acme.push");
    expect(problem).toContain("tokn");
  });

  test("a tenant without push.token and without allowUnauthenticated names push.token", () => {
    const path = file({
      tenants: { acme: { push: {} }, ok: { push: { token: "ok-push-token-0123456789" } } },
    });
    const problems = problemsOf(env(path), readFileOf);
    expect(problems).toHaveLength(1);
    expect(problemNaming(problems, "tenants.acme.push.token")).toContain("HUB_TENANTS_FILE");
  });

  test("a tenant id that is not a-z0-9_- is named", () => {
    const path = file({
      tenants: { "Acme Corp": { push: { token: "acme-push-token-0123456789" } } },
    });
    problemNaming(problemsOf(env(path), readFileOf), "HUB_TENANTS_FILE");
  });

  test("an empty tenants object is named", () => {
    problemNaming(problemsOf(env(file({ tenants: {} })), readFileOf), "HUB_TENANTS_FILE");
  });

  test("a route field that is not a payload path is named", () => {
    const path = file({
      tenants: {
        acme: { push: { token: "acme-push-token-0123456789" }, routes: [{ field: "user id" }] },
      },
    });
    problemNaming(problemsOf(env(path), readFileOf), "tenants.acme.routes.0.field");
  });

  test("an unreadable file names HUB_TENANTS_FILE", () => {
    const missing = join(dir, "missing.json");
    const problem = problemNaming(problemsOf(env(missing), readFileOf), "HUB_TENANTS_FILE");
    expect(problem).toContain(missing);
  });

  test("a file that is not JSON names HUB_TENANTS_FILE", () => {
    const problem = problemNaming(
      problemsOf(env(file("{ tenants: ")), readFileOf),
      "HUB_TENANTS_FILE",
    );
    expect(problem).toMatch(/JSON/);
  });

  test("HUB_TENANTS_FILE together with PUSH_TOKEN is named", () => {
    const path = file({ tenants: { acme: { push: { token: "acme-push-token-0123456789" } } } });
    const problems = problemsOf({ ...env(path), PUSH_TOKEN: TOKEN }, readFileOf);
    expect(problemNaming(problems, "PUSH_TOKEN")).toContain("HUB_TENANTS_FILE");
  });

  test("an empty PUSH_TOKEN next to HUB_TENANTS_FILE is unset, not a conflict", () => {
    const path = file({ tenants: { acme: { push: { token: "acme-push-token-0123456789" } } } });
    const config = loadConfig({ ...env(path), PUSH_TOKEN: "" }, readFileOf);
    expect([...config.tenants.keys()]).toEqual(["acme"]);
  });

  test("HUB_TENANTS_FILE together with ODOO_URL is named", () => {
    const path = file({ tenants: { acme: { push: { token: "acme-push-token-0123456789" } } } });
    const problems = problemsOf({ ...env(path), ODOO_URL: "https://odoo.example.com" }, readFileOf);
    expect(problemNaming(problems, "ODOO_URL")).toContain("HUB_TENANTS_FILE");
  });
});

describe("sign-in with Odoo", () => {
  const odoo = {
    JWT_SECRET: SECRET,
    PUSH_TOKEN: TOKEN,
    ODOO_URL: "http://odoo.test",
    ODOO_DB: "prod",
    ODOO_RPC_UID: "2",
    ODOO_RPC_KEY: "rpc-key",
  };
  const pair = (type: "rsa" | "ec-p256") => {
    const keys =
      type === "rsa"
        ? generateKeyPairSync("rsa", { modulusLength: 2048 })
        : generateKeyPairSync("ec", { namedCurve: "P-256" });
    return {
      JWT_PUBLIC_KEY: keys.publicKey.export({ type: "spki", format: "pem" }).toString(),
      JWT_PRIVATE_KEY: keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    };
  };

  test("is off by default and on with ODOO_SIGNIN_MODELS, with 15 min / 7 day tokens", () => {
    expect(loadConfig(odoo, noFile).tenants.get("default")?.odoo?.signin).toBeUndefined();
    const config = loadConfig({ ...odoo, ODOO_SIGNIN_MODELS: "sale.order, res.partner" }, noFile);
    expect(config.tenants.get("default")?.odoo?.signin).toEqual({
      models: ["sale.order", "res.partner"],
      accessTtlS: 900,
      refreshTtlS: 604_800,
    });
    expect(config.jwt.signingKey?.export().toString("utf8")).toBe(SECRET);
    expect(config.signinLimits.perAddress).toEqual({ points: 3, windowS: 60 });
  });

  test("needs ODOO_DB and an account: its own (ODOO_SIGNIN_RPC_*) or ODOO_RPC_*", () => {
    const { ODOO_RPC_KEY: _key, ODOO_RPC_UID: _uid, ...withoutRpc } = odoo;
    const rest = { ...withoutRpc, ODOO_API_KEY: "k", ODOO_SIGNIN_MODELS: "sale.order" };
    const problem = problemNaming(problemsOf(rest), "ODOO_SIGNIN_MODELS");
    expect(problem).toContain("ODOO_SIGNIN_RPC_KEY");
    const own = { ...rest, ODOO_SIGNIN_RPC_UID: "6", ODOO_SIGNIN_RPC_KEY: "signin-key" };
    const tenant = loadConfig(own, noFile).tenants.get("default");
    // Its own account leaves the ledger on the REST pull API (no odoo.rpc).
    expect(tenant?.odoo?.rpc).toBeUndefined();
    expect(tenant?.odoo?.signin?.rpc).toEqual({ uid: 6, key: "signin-key" });
    problemNaming(problemsOf({ ...rest, ODOO_SIGNIN_RPC_UID: "6" }), "ODOO_SIGNIN_RPC_KEY");
  });

  test("bad models and TTLs are named; a TTL without models names ODOO_SIGNIN_MODELS", () => {
    problemNaming(problemsOf({ ...odoo, ODOO_SIGNIN_MODELS: "Sale Order" }), "ODOO_SIGNIN_MODELS");
    const short = { ...odoo, ODOO_SIGNIN_MODELS: "sale.order", ODOO_SIGNIN_ACCESS_TTL_S: "10" };
    problemNaming(problemsOf(short), "ODOO_SIGNIN_ACCESS_TTL_S");
    const inverted = {
      ...odoo,
      ODOO_SIGNIN_MODELS: "sale.order",
      ODOO_SIGNIN_ACCESS_TTL_S: "3600",
      ODOO_SIGNIN_REFRESH_TTL_S: "1800",
    };
    problemNaming(problemsOf(inverted), "ODOO_SIGNIN_REFRESH_TTL_S");
    problemNaming(
      problemsOf({ ...odoo, ODOO_SIGNIN_REFRESH_TTL_S: "86400" }),
      "ODOO_SIGNIN_MODELS",
    );
  });

  test("with JWT_PUBLIC_KEY, sign-in needs a JWT_PRIVATE_KEY that pairs with it", () => {
    const { JWT_SECRET: _secret, ...base } = { ...odoo, ODOO_SIGNIN_MODELS: "sale.order" };
    const rsa = pair("rsa");
    const ec = pair("ec-p256");
    const missing = problemsOf({ ...base, JWT_PUBLIC_KEY: rsa.JWT_PUBLIC_KEY });
    expect(problemNaming(missing, "JWT_PRIVATE_KEY")).toContain("default");
    const mismatched = { ...base, ...rsa, JWT_PRIVATE_KEY: pair("rsa").JWT_PRIVATE_KEY };
    expect(problemNaming(problemsOf(mismatched), "JWT_PRIVATE_KEY")).toMatch(/does not pair/);
    const crossed = {
      ...base,
      JWT_PUBLIC_KEY: ec.JWT_PUBLIC_KEY,
      JWT_PRIVATE_KEY: rsa.JWT_PRIVATE_KEY,
    };
    problemNaming(problemsOf(crossed), "JWT_PRIVATE_KEY");
    problemNaming(
      problemsOf({ ...base, JWT_PUBLIC_KEY: ec.JWT_PUBLIC_KEY, JWT_PRIVATE_KEY: "x" }),
      "JWT_PRIVATE_KEY",
    );
    expect(loadConfig({ ...base, ...ec }, noFile).jwt.algorithm).toBe("ES256");
    expect(loadConfig({ ...base, ...rsa }, noFile).jwt.signingKey).toBeDefined();
    problemNaming(problemsOf({ ...odoo, JWT_PRIVATE_KEY: ec.JWT_PRIVATE_KEY }), "JWT_PRIVATE_KEY");
  });

  test("the tenants file enables it per tenant under odoo.signin", () => {
    const tenants = {
      tenants: {
        acme: {
          push: { token: TOKEN },
          odoo: {
            url: "http://odoo.test",
            db: "acme",
            rpc: { uid: 2, key: "k" },
            signin: { models: ["stock.picking"], accessTtlS: 300 },
          },
        },
      },
    };
    const config = loadConfig({ JWT_SECRET: SECRET, HUB_TENANTS_FILE: "t.json" }, () =>
      JSON.stringify(tenants),
    );
    expect(config.tenants.get("acme")?.odoo?.signin).toEqual({
      models: ["stock.picking"],
      accessTtlS: 300,
      refreshTtlS: 604_800,
    });
  });
});
