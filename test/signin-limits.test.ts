/**
 * Brute force against sign-in: the hub's limits per address, per login and per tenant's Odoo,
 * counted at the simulated Odoo (pull is off, so every /jsonrpc request is sign-in's).
 */
import type { OdooSim } from "@odoo-live/odoo-sim";
import { describe, expect, test } from "vitest";
import { startTestHub } from "./helpers/hub.js";
import { redisSkipReason, uniquePrefix, useRedis } from "./helpers/redis.js";
import {
  CLERK,
  SALES,
  postAuth,
  signInAs,
  signinEnv,
  signinSim,
  type AuthAnswer,
} from "./helpers/signin.js";

const rpcCalls = (sim: OdooSim) => sim.requests().filter((r) => r.path === "/jsonrpc").length;

function guess(login: string, address?: string) {
  const headers: Record<string, string> =
    address === undefined ? {} : { "X-Forwarded-For": address };
  return [{ login, password: "a-wrong-guess", deviceId: "d-1" }, headers] as const;
}

/** The statuses of `n` requests sent one after the other. */
async function statusesOf(n: number, send: (i: number) => Promise<AuthAnswer>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await send(i)).status);
  return statuses;
}

async function setup(env: Record<string, string> = {}) {
  const sim = await signinSim();
  const hub = await startTestHub(signinEnv(sim, { ODOO_PULL: "false", ...env }));
  return { sim, hub };
}

describe("failed sign-ins are limited", () => {
  test("per address: 3 failures reach Odoo, then 429 with Retry-After, even for the right password", async () => {
    const { sim, hub } = await setup({ HUB_TRUST_PROXY: "true" });
    const statuses = await statusesOf(5, (i) =>
      postAuth(hub, "odoo", ...guess(`user${i}@x`, "10.0.0.1")),
    );
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(rpcCalls(sim)).toBe(3);
    const right = { login: SALES.login, password: SALES.password, deviceId: "d-1" };
    const refused = await postAuth(hub, "odoo", right, { "X-Forwarded-For": "10.0.0.1" });
    expect(refused.status).toBe(429);
    expect(refused.body.error?.code).toBe("rate_limited");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("Retry-After"))).toBeLessThanOrEqual(60);
    expect((await postAuth(hub, "odoo", right, { "X-Forwarded-For": "10.0.0.2" })).status).toBe(
      200,
    );
  });

  test("per login: 5 failures from any addresses, then 429 for that login only", async () => {
    const { sim, hub } = await setup({
      HUB_TRUST_PROXY: "true",
      HUB_SIGNIN_ODOO_FAILURES_PER_MINUTE: "100",
    });
    const statuses = await statusesOf(7, (i) =>
      postAuth(hub, "odoo", ...guess(SALES.login, `10.0.1.${i}`)),
    );
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(rpcCalls(sim)).toBe(5);
    // The same login in another case is the same login.
    const upper = { login: SALES.login.toUpperCase(), password: SALES.password, deviceId: "d-1" };
    expect((await postAuth(hub, "odoo", upper, { "X-Forwarded-For": "10.0.1.99" })).status).toBe(
      429,
    );
    await signInAs(hub, CLERK, "d-2");
  });

  test("per tenant: failures reaching Odoo from every address together, then 429 for everyone", async () => {
    const { sim, hub } = await setup({
      HUB_TRUST_PROXY: "true",
      HUB_SIGNIN_ODOO_FAILURES_PER_MINUTE: "3",
    });
    const statuses = await statusesOf(5, (i) =>
      postAuth(hub, "odoo", ...guess(`u${i}@x`, `10.0.2.${i}`)),
    );
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(rpcCalls(sim)).toBe(3);
    const right = { login: SALES.login, password: SALES.password, deviceId: "d-1" };
    expect((await postAuth(hub, "odoo", right, { "X-Forwarded-For": "10.0.2.99" })).status).toBe(
      429,
    );
  });

  test("parallel guesses cannot slip past the per-address limit", async () => {
    const { sim, hub } = await setup();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => postAuth(hub, "odoo", ...guess(`p${i}@x`))),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(17);
    expect(rpcCalls(sim)).toBe(3);
  });

  test("Odoo refusing the hub's own account counts too: 503, then 429 before Odoo locks it out", async () => {
    const { sim, hub } = await setup({
      ODOO_SIGNIN_RPC_KEY: "not-the-key",
      HUB_SIGNIN_ODOO_FAILURES_PER_MINUTE: "2",
    });
    const right = { login: SALES.login, password: SALES.password, deviceId: "d-1" };
    const statuses = await statusesOf(3, () => postAuth(hub, "odoo", right));
    expect(statuses).toEqual([503, 503, 429]);
    // Each 503: an authenticate the user passed, then one refused service call.
    expect(rpcCalls(sim)).toBe(2 * 2);
  });
});

describe.skipIf(redisSkipReason() !== undefined)("two hubs on one Redis", () => {
  const { connect } = useRedis();

  test("share the limits and the refresh chains", async () => {
    const client = connect();
    const url = `redis://127.0.0.1:${client.options.port}`;
    const sim = await signinSim();
    const env = signinEnv(sim, {
      ODOO_PULL: "false",
      REDIS_URL: url,
      HUB_REDIS_PREFIX: uniquePrefix(),
      HUB_TRUST_PROXY: "true",
    });
    const [a, b] = [await startTestHub(env), await startTestHub(env)];
    const statuses = await statusesOf(4, (i) =>
      postAuth(i % 2 === 0 ? a : b, "odoo", ...guess(`r${i}@x`)),
    );
    expect(statuses).toEqual([401, 401, 401, 429]);
    const other = { "X-Forwarded-For": "10.0.3.1" };
    const signedIn = await postAuth(
      a,
      "odoo",
      { login: CLERK.login, password: CLERK.password, deviceId: "d-1" },
      other,
    );
    expect(signedIn.status).toBe(200);
    const refreshToken = signedIn.body["refreshToken"] as string;
    expect((await postAuth(b, "refresh", { refreshToken })).status).toBe(200);
    expect((await postAuth(a, "refresh", { refreshToken })).status).toBe(401);
  });
});
