/**
 * Sign-in with Odoo against the simulator: a real hub, real HTTP, real Socket.IO clients with the
 * tokens it mints, and the simulator's `common.authenticate`, `res.users` and ACL.
 */
import { generateKeyPairSync } from "node:crypto";
import type { SimAccount } from "@odoo-live/odoo-sim";
import { TokenPair } from "@odoo-live/protocol";
import { describe, expect, test } from "vitest";
import { connectReady, JWT_SECRET, startTestHub } from "./helpers/hub.js";
import { captureLogger } from "./helpers/log-capture.js";
import { saleChange } from "./helpers/sim.js";
import {
  CLERK,
  GROUP_USER,
  GUEST,
  SALES,
  SHARED_RPC_ACCOUNT,
  claimsOf,
  postAuth,
  signInAs,
  signinEnv,
  signinSim,
} from "./helpers/signin.js";
import { waitFor } from "./helpers/wait.js";

async function setup(env: Record<string, string> = {}) {
  const sim = await signinSim();
  const capture = captureLogger("trace");
  const hub = await startTestHub(signinEnv(sim, env), { logger: capture.logger });
  return { sim, hub, lines: capture.lines };
}

const partnerChange = (name: string) => ({
  model: "res.partner",
  recordId: 500 + name.length,
  op: "write" as const,
  payload: { id: 500, name, write_date: "2025-11-29T10:15:02" },
});

describe("POST /auth/odoo", () => {
  test("a password or an API key gives a token pair scoped as Odoo scopes the user", async () => {
    const { hub } = await setup({ ODOO_SIGNIN_ACCESS_TTL_S: "600" });
    for (const secret of [{ password: SALES.password }, { apiKey: SALES.apiKey }]) {
      const answer = await postAuth(hub, "odoo", {
        login: SALES.login,
        ...secret,
        deviceId: "phone-1",
      });
      expect(answer.status).toBe(200);
      const pair = TokenPair.parse(answer.body);
      expect(pair).toMatchObject({ expiresIn: 600, refreshExpiresIn: 7 * 86_400, uid: 7 });
      expect(pair.models).toEqual(["sale.order", "res.partner"]);
      expect(pair.companies).toEqual([1, 2]);
      const claims = claimsOf(pair.accessToken);
      expect(claims).toMatchObject({
        uid: 7,
        tenant: "default",
        models: pair.models,
        companies: [1, 2],
      });
      expect(claims.exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(590);
    }
    const clerk = await signInAs(hub, CLERK, "scanner-1");
    expect(clerk.claims).toMatchObject({ uid: 8, models: ["res.partner"], companies: [2] });
  });

  test("every refusal is the same 401: unknown login, wrong secret, archived, no access", async () => {
    const { sim, hub } = await setup({ HUB_SIGNIN_FAILURES_PER_ADDRESS: "10" });
    sim.updateAccount(CLERK.uid, { active: false });
    const attempts = [
      { login: "nobody@example.com", password: "x" },
      { login: SALES.login, password: "wrong" },
      { login: SALES.login, apiKey: "wrong" },
      { login: CLERK.login, password: CLERK.password },
      { login: GUEST.login, password: GUEST.password },
    ];
    const answers = await Promise.all(
      attempts.map((a) => postAuth(hub, "odoo", { ...a, deviceId: "d-1" })),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body.error?.code).toBe("signin_failed");
      expect(answer.body.error?.message).toBe(answers[0]!.body.error?.message);
    }
  });

  test("bad bodies get 400 naming the field; sign-in is off unless enabled", async () => {
    const { hub } = await setup();
    const cases: [unknown, RegExp][] = [
      ["{not json", /not a JSON object/],
      [
        { login: SALES.login, deviceId: "d-1" },
        /password: send exactly one of password and apiKey/,
      ],
      [{ login: SALES.login, password: "p", apiKey: "k", deviceId: "d-1" }, /exactly one/],
      [{ login: SALES.login, password: "p", deviceId: "d" }, /deviceId/],
      [{ login: SALES.login, password: "p", deviceId: "d-1", appType: "tv" }, /appType/],
    ];
    for (const [body, message] of cases) {
      const answer = await postAuth(hub, "odoo", body);
      expect(answer.status).toBe(400);
      expect(answer.body.error?.message).toMatch(message);
    }
    expect((await postAuth(hub, "odoo/acme", {})).body.error?.code).toBe("unknown_tenant");
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toContain(
      'odoo_live_auth_requests_total{tenant="(unknown)",endpoint="odoo",status="404"} 1',
    );
    expect(metrics).not.toContain('tenant="acme"');
    const off = await startTestHub();
    const answer = await postAuth(off, "odoo", { login: "a", password: "b", deviceId: "d-1" });
    expect(answer.status).toBe(404);
    expect(answer.body.error?.code).toBe("signin_disabled");
  });

  test("Odoo down or answering errors is a 503; nothing is counted as a failure", async () => {
    const { sim, hub } = await setup({ HUB_SIGNIN_FAILURES_PER_ADDRESS: "1" });
    for (const fault of ["down", "rpc-error"] as const) {
      sim.setFault(fault);
      const answer = await postAuth(hub, "odoo", {
        login: SALES.login,
        password: "wrong",
        deviceId: "d-1",
      });
      expect(answer.status).toBe(503);
      expect(answer.body.error?.code).toBe("unavailable");
    }
    sim.setFault(null);
    await signInAs(hub, SALES, "d-1");
  });
});

describe("devices with minted tokens", () => {
  test("a user without sale rights never receives a sale order, even one routed to them", async () => {
    const { sim, hub } = await setup(SHARED_RPC_ACCOUNT);
    const clerk = await signInAs(hub, CLERK, "scanner-1");
    const sales = await signInAs(hub, SALES, "phone-1");
    const models = ["sale.order", "res.partner"];
    const clerkDevice = await connectReady(hub, {
      token: clerk.accessToken,
      deviceId: "scanner-1",
      models,
    });
    const salesDevice = await connectReady(hub, {
      token: sales.accessToken,
      deviceId: "phone-1",
      models,
    });
    expect(clerkDevice.ready[0]?.models).toEqual(["res.partner"]);
    sim.change(saleChange("S-for-clerk", CLERK.uid));
    sim.change(partnerChange("after the order"));
    await waitFor(() => clerkDevice.events.some((e) => e.model === "res.partner"), {
      what: "the partner",
    });
    await waitFor(() => salesDevice.events.length === 2, {
      what: "both changes on the sales device",
    });
    expect(clerkDevice.events.map((e) => e.model)).toEqual(["res.partner"]);
    expect(salesDevice.events.map((e) => e.model)).toEqual(["sale.order", "res.partner"]);
  });

  test("removing the right in Odoo and refreshing takes it away, on a live socket too", async () => {
    const { sim, hub } = await setup();
    const first = await signInAs(hub, SALES, "phone-1");
    const device = await connectReady(hub, {
      token: first.accessToken,
      deviceId: "phone-1",
      models: ["sale.order", "res.partner"],
    });
    sim.updateAccount(SALES.uid, { groupIds: [GROUP_USER] });
    const refreshed = await postAuth(hub, "refresh", { refreshToken: first.refreshToken });
    expect(refreshed.status).toBe(200);
    const pair = TokenPair.parse(refreshed.body);
    expect(pair.models).toEqual(["res.partner"]);
    expect(pair.refreshToken).not.toBe(first.refreshToken);
    const reply = (await device.socket.emitWithAck("refresh", { token: pair.accessToken })) as {
      ok: boolean;
      models: string[];
    };
    expect(reply).toMatchObject({ ok: true, models: ["res.partner"] });
    sim.change(saleChange("S-after", SALES.uid));
    sim.change(partnerChange("after the revoke"));
    await waitFor(() => device.events.some((e) => e.model === "res.partner"), {
      what: "the partner",
    });
    expect(device.events.map((e) => e.model)).toEqual(["res.partner"]);
  });

  test("with an ES256 key pair the hub signs with JWT_PRIVATE_KEY what its handshake accepts", async () => {
    const keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const { hub } = await setup({
      JWT_SECRET: "",
      JWT_PUBLIC_KEY: keys.publicKey.export({ type: "spki", format: "pem" }).toString(),
      JWT_PRIVATE_KEY: keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      JWT_ISSUER: "odoo-live-test",
    });
    const { accessToken } = await signInAs(hub, SALES, "phone-1");
    const header = JSON.parse(Buffer.from(accessToken.split(".")[0]!, "base64url").toString());
    expect(header.alg).toBe("ES256");
    expect(claimsOf(accessToken).iss).toBe("odoo-live-test");
    const device = await connectReady(hub, { token: accessToken, deviceId: "phone-1" });
    expect(device.ready[0]?.uid).toBe(SALES.uid);
  });
});

describe("POST /auth/refresh", () => {
  test("rotates on use; a token used twice revokes the whole chain", async () => {
    const { hub, lines } = await setup();
    const first = await signInAs(hub, SALES, "phone-1");
    const second = await postAuth(hub, "refresh", { refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    const next = second.body["refreshToken"] as string;
    const stolen = await postAuth(hub, "refresh", { refreshToken: first.refreshToken });
    expect(stolen.status).toBe(401);
    expect(stolen.body.error?.code).toBe("refresh_invalid");
    expect((await postAuth(hub, "refresh", { refreshToken: next })).status).toBe(401);
    expect(lines().some((l) => /reused/.test(l.msg) && l["uid"] === 7)).toBe(true);
  });

  test("an archived user gets 401 and the device's chain stays revoked", async () => {
    const { sim, hub } = await setup();
    const { refreshToken } = await signInAs(hub, SALES, "phone-1");
    sim.updateAccount(SALES.uid, { active: false });
    expect((await postAuth(hub, "refresh", { refreshToken })).status).toBe(401);
    sim.updateAccount(SALES.uid, { active: true });
    expect((await postAuth(hub, "refresh", { refreshToken })).status).toBe(401);
  });

  test("Odoo unreachable is a 503 that leaves the token usable", async () => {
    const { sim, hub } = await setup();
    const { refreshToken } = await signInAs(hub, SALES, "phone-1");
    sim.setFault("down");
    expect((await postAuth(hub, "refresh", { refreshToken })).status).toBe(503);
    sim.setFault(null);
    expect((await postAuth(hub, "refresh", { refreshToken })).status).toBe(200);
  });

  test("signing in again on a device ends its earlier chain; logout ends the current one", async () => {
    const { hub } = await setup();
    const first = await signInAs(hub, SALES, "phone-1");
    const other = await signInAs(hub, SALES, "phone-2");
    const again = await signInAs(hub, SALES, "phone-1");
    expect((await postAuth(hub, "refresh", { refreshToken: first.refreshToken })).status).toBe(401);
    expect((await postAuth(hub, "logout", { refreshToken: other.refreshToken })).status).toBe(204);
    expect((await postAuth(hub, "refresh", { refreshToken: other.refreshToken })).status).toBe(401);
    expect((await postAuth(hub, "logout", { refreshToken: "garbage" })).status).toBe(204);
    // Ended by the reuse of `first` above: a token of an ended chain is no use either.
    expect((await postAuth(hub, "refresh", { refreshToken: again.refreshToken })).status).toBe(401);
  });

  test("malformed, forged and other tenants' tokens are 401 and touch no chain", async () => {
    const { hub } = await setup();
    const { refreshToken } = await signInAs(hub, SALES, "phone-1");
    const [tenant, uid, device] = refreshToken.split(".");
    const forged = [
      "nonsense",
      `${tenant}.${uid}.${device}.${"A".repeat(43)}`.replace(`${tenant}.`, "acme."),
      refreshToken.replace(`.${uid}.`, ".8."),
    ];
    for (const token of forged) {
      const answer = await postAuth(hub, "refresh", { refreshToken: token });
      expect(answer.status).toBe(401);
    }
    expect((await postAuth(hub, "refresh", { refreshToken })).status).toBe(200);
  });
});

describe("secrets", () => {
  test("no password, API key or token reaches the hub's log", async () => {
    const { hub, lines } = await setup();
    const accounts: SimAccount[] = [SALES, CLERK];
    const secrets: string[] = [SALES.password, SALES.apiKey!, CLERK.password, "wrong-guess-123"];
    await postAuth(hub, "odoo", {
      login: SALES.login,
      password: "wrong-guess-123",
      deviceId: "d-1",
    });
    await postAuth(hub, "odoo", `{"login":"x","password":"${SALES.password}"`);
    for (const account of accounts) {
      const pair = await signInAs(hub, account, "d-1");
      const next = await postAuth(hub, "refresh", { refreshToken: pair.refreshToken });
      await postAuth(hub, "refresh", { refreshToken: pair.refreshToken });
      secrets.push(pair.accessToken, pair.refreshToken, next.body["refreshToken"] as string);
      secrets.push(pair.refreshToken.split(".").at(-1)!);
    }
    await postAuth(hub, "odoo", { login: SALES.login, apiKey: SALES.apiKey, deviceId: "d-2" });
    const text = JSON.stringify(lines());
    expect(lines().length).toBeGreaterThan(5);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain(JWT_SECRET);
  });
});
