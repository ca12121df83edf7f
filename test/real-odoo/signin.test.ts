/**
 * Sign-in with Odoo against Odoo 18 itself: users created for the run (with and without sales
 * rights, in two companies), signing in with a password and with an API key made in Odoo, real
 * Socket.IO devices on the minted tokens, and Odoo's own answers as the reference.
 */
import { readFileSync, statSync } from "node:fs";
import { TokenPair } from "@odoo-live/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectReady } from "../helpers/hub.js";
import { captureLogger } from "../helpers/log-capture.js";
import { claimsOf, postAuth } from "../helpers/signin.js";
import { waitFor } from "../helpers/wait.js";
import { OdooUsers, type TestUser } from "./helpers/odoo-users.js";
import { realOdooSkipReason } from "./helpers/real-odoo.js";
import { MODELS, startOdooHub, useRealOdoo } from "./helpers/setup.js";

const skip = realOdooSkipReason();

describe.skipIf(skip !== undefined)("sign-in with a real Odoo", () => {
  const odoo = useRealOdoo();
  const capture = captureLogger("debug");
  /** Everything secret the run handled: none may reach the hub's log. */
  const secrets: string[] = [];
  let users: OdooUsers;
  let company2: number;
  let groups: { user: number; sales: number };
  let sales: TestUser;
  let clerk: TestUser;
  let demoted: TestUser;

  beforeAll(async () => {
    users = new OdooUsers(odoo.facts, odoo.admin.call);
    groups = {
      user: await users.group("base.group_user"),
      sales: await users.group("sales_team.group_sale_salesman"),
    };
    company2 = await users.company("odoo-live sign-in test company");
    [sales, clerk, demoted] = await Promise.all([
      users.create("sales", [groups.user, groups.sales], [1, company2]),
      users.create("clerk", [groups.user], [company2]),
      users.create("demoted", [groups.user, groups.sales], [1]),
    ]);
    secrets.push(sales.password, clerk.password, demoted.password);
  }, 60_000);
  afterAll(() => users?.archiveAll());

  const hub = (env: Record<string, string> = {}) =>
    startOdooHub(
      odoo,
      {
        ODOO_SIGNIN_RPC_UID: "2",
        ODOO_SIGNIN_RPC_KEY: odoo.facts.password,
        ODOO_DB: odoo.facts.db,
        ODOO_SIGNIN_MODELS: MODELS.join(","),
        ...env,
      },
      { logger: capture.logger },
    );

  async function signIn(target: { url: string }, user: TestUser, deviceId: string) {
    const body = { login: user.login, password: user.password, deviceId };
    const answer = await postAuth(target, "odoo", body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const pair = TokenPair.parse(answer.body);
    secrets.push(pair.accessToken, pair.refreshToken);
    return pair;
  }

  /** What Odoo itself says the user may read and belongs to, asked as the user. */
  async function odooSays(user: TestUser) {
    const call = users.as(user);
    const readable: string[] = [];
    for (const model of MODELS)
      if ((await call(model, "check_access_rights", ["read", false])) === true)
        readable.push(model);
    const [me] = (await call("res.users", "read", [[user.uid], ["company_ids"]])) as {
      company_ids: number[];
    }[];
    return { models: readable, companies: [...me!.company_ids].sort((a, b) => a - b) };
  }

  it("a password and an API key give tokens whose models and companies are Odoo's", async () => {
    const target = await hub();
    const says = { sales: await odooSays(sales), clerk: await odooSays(clerk) };
    expect(says.sales.models).toEqual(["sale.order", "res.partner"]);
    expect(says.clerk.models).toEqual(["res.partner"]);
    for (const [user, odooAnswer] of [
      [sales, says.sales],
      [clerk, says.clerk],
    ] as const) {
      const pair = await signIn(target, user, `${user.login}-phone`);
      expect({ models: pair.models, companies: pair.companies }).toEqual(odooAnswer);
      expect(claimsOf(pair.accessToken)).toMatchObject({ uid: user.uid, models: pair.models });
    }
    const apiKey = await users.apiKey(sales);
    secrets.push(apiKey);
    const body = { login: sales.login, apiKey, deviceId: "api-key-device" };
    const answer = await postAuth(target, "odoo", body);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ uid: sales.uid, companies: [1, company2].sort() });
    secrets.push(answer.body["accessToken"] as string, answer.body["refreshToken"] as string);
  });

  it("a user without sale rights never receives a sale order, not even one naming them", async () => {
    const target = await hub();
    const device = async (user: TestUser) => {
      const { accessToken } = await signIn(target, user, `${user.login}-live`);
      const auth = { token: accessToken, deviceId: `${user.login}-live`, models: MODELS };
      return connectReady(target, auth);
    };
    const [salesDevice, clerkDevice] = [await device(sales), await device(clerk)];
    expect(clerkDevice.ready[0]?.models).toEqual(["res.partner"]);
    const order = await odoo.records.jsonrpc.create("sale.order", {
      partner_id: 1,
      user_id: clerk.uid,
    });
    const partner = await odoo.records.jsonrpc.create("res.partner", { name: "after the order" });
    const got = (d: typeof salesDevice, model: string, id: number) =>
      d.events.some((e) => e.model === model && e.recordId === id);
    await waitFor(() => got(salesDevice, "sale.order", order), {
      timeoutMs: 20_000,
      what: "the order",
    });
    // Events arrive in log order: once the later partner is in, the order would have been too.
    await waitFor(() => got(clerkDevice, "res.partner", partner), {
      timeoutMs: 20_000,
      what: "the partner",
    });
    expect(clerkDevice.events.filter((e) => e.model === "sale.order")).toEqual([]);
  });

  it("removing the right in Odoo and refreshing takes it away; archiving ends the chain", async () => {
    const target = await hub();
    const first = await signIn(target, demoted, "demoted-phone");
    expect(first.models).toEqual(["sale.order", "res.partner"]);
    const device = await connectReady(target, {
      token: first.accessToken,
      deviceId: "demoted-phone",
      models: MODELS,
    });
    await users.setGroups(demoted, [groups.user]);
    const answer = await postAuth(target, "refresh", { refreshToken: first.refreshToken });
    expect(answer.status).toBe(200);
    const pair = TokenPair.parse(answer.body);
    secrets.push(pair.accessToken, pair.refreshToken);
    expect(pair.models).toEqual((await odooSays(demoted)).models);
    expect(pair.models).toEqual(["res.partner"]);
    const reply = await device.socket.emitWithAck("refresh", { token: pair.accessToken });
    expect(reply).toMatchObject({ ok: true, models: ["res.partner"] });
    const order = await odoo.records.jsonrpc.create("sale.order", {
      partner_id: 1,
      user_id: demoted.uid,
    });
    const partner = await odoo.records.jsonrpc.create("res.partner", { name: "after demotion" });
    const got = (model: string, id: number) =>
      device.events.some((e) => e.model === model && e.recordId === id);
    await waitFor(() => got("res.partner", partner), { timeoutMs: 20_000, what: "the partner" });
    expect(got("sale.order", order)).toBe(false);

    // Archived: refused at sign-in, and the device's chain ends for good.
    await users.setActive(demoted, false);
    const again = { login: demoted.login, password: demoted.password, deviceId: "demoted-phone" };
    expect((await postAuth(target, "odoo", again)).status).toBe(401);
    const refreshToken = pair.refreshToken;
    expect((await postAuth(target, "refresh", { refreshToken })).status).toBe(401);
    await users.setActive(demoted, true);
    expect((await postAuth(target, "refresh", { refreshToken })).status).toBe(401);
  });

  it("a brute force is stopped by the hub long before Odoo's own lockout", async () => {
    const target = await hub({ HUB_TRUST_PROXY: "true" });
    // Odoo counts failures per address, not per login: guessing the clerk's password locks
    // nobody out in Odoo, and no other suite uses this login.
    const brute = clerk;
    const logStart = odoo.facts.log === undefined ? 0 : statSync(odoo.facts.log).size;
    const attempt = (address: string, password = "wrong-guess-0") =>
      postAuth(
        target,
        "odoo",
        { login: brute.login, password, deviceId: "brute-phone" },
        { "X-Forwarded-For": address },
      );
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt("10.9.0.1")).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect((await attempt("10.9.0.1", brute.password)).status).toBe(429);
    // Other addresses: the tenant's budget (4 failures a minute reaching Odoo) runs out next.
    expect([(await attempt("10.9.0.2")).status, (await attempt("10.9.0.3")).status]).toEqual([
      401, 429,
    ]);
    const cooldownAfter = Number(
      await odoo.admin.call("ir.config_parameter", "get_param", ["base.login_cooldown_after"]),
    );
    expect(cooldownAfter).toBe(10);
    if (odoo.facts.log !== undefined) {
      const log = readFileSync(odoo.facts.log).subarray(logStart).toString("utf8");
      const failed = log.match(new RegExp(`Login failed for db:\\S+ login:${brute.login} `, "g"));
      expect(failed).toHaveLength(4);
    }
    // Odoo itself never locked the hub's address: the clerk's own login still works there.
    expect(await users.authenticate(brute)).toBe(brute.uid);
  });

  it("nothing secret reached the hub's log", () => {
    const text = JSON.stringify(capture.lines());
    expect(capture.lines().length).toBeGreaterThan(10);
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
