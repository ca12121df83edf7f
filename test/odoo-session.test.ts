/**
 * The client library's OdooSession against a real hub signing users in with the simulator: the
 * pair is kept and rotated, the live socket takes each new token in-band (no reconnect, nothing
 * lost), and a refused refresh asks for a new sign-in, after which the client resumes by itself.
 */
import {
  connect,
  memoryStorage,
  OdooLiveError,
  OdooSession,
  type ClientErrorInfo,
  type OdooLiveClient,
} from "@odoo-live/client";
import { afterEach, describe, expect, it } from "vitest";
import { startTestHub } from "./helpers/hub.js";
import { saleChange } from "./helpers/sim.js";
import { SALES, claimsOf, signinEnv, signinSim } from "./helpers/signin.js";
import { waitFor } from "./helpers/wait.js";

/** 60 s tokens (the shortest a tenant may mint) and `token_expiring` 3 s after each one. */
const SHORT = { ODOO_SIGNIN_ACCESS_TTL_S: "60", HUB_TOKEN_EXPIRING_LEAD_MS: "57000" };

const apps: OdooLiveClient[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function setup() {
  const sim = await signinSim();
  const hub = await startTestHub(signinEnv(sim, SHORT));
  const storage = memoryStorage();
  const session = new OdooSession({ url: hub.url, storage });
  return { sim, hub, storage, session };
}

function live(url: string, session: OdooSession) {
  const client = connect({
    url,
    token: session.token,
    deviceId: "phone-1",
    models: ["sale.order"],
    reconnect: { minDelayMs: 50, maxDelayMs: 200 },
  });
  apps.push(client);
  const seen: string[] = [];
  const errors: ClientErrorInfo[] = [];
  const drops: string[] = [];
  const ready: unknown[] = [];
  client.on("ready", (r) => void ready.push(r));
  client.on("event", (event) => void seen.push(String(event.record["name"])));
  client.on("error", (error) => void errors.push(error));
  client.on("disconnect", (reason) => void drops.push(reason));
  return { client, seen, errors, drops, ready };
}

describe("OdooSession", () => {
  it("signs in, and keeps a live socket on rotated tokens without a reconnect", async () => {
    const { sim, hub, session } = await setup();
    await expect(session.token()).rejects.toMatchObject({ code: "signed_out" });
    const info = await session.signIn({
      login: SALES.login,
      password: SALES.password,
      deviceId: "phone-1",
    });
    expect(info).toMatchObject({
      uid: 7,
      deviceId: "phone-1",
      models: ["sale.order", "res.partner"],
    });
    const first = await session.token();
    // Well inside its lifetime: the same token, no request to the hub.
    expect(await session.token({ reason: "connect" })).toBe(first);

    const device = live(hub.url, session);
    // A new device starts at the head: changes from its first ready on are its to see.
    await waitFor(() => device.ready.length === 1, { what: "ready" });
    const tokens = new Set<string>([first]);
    const names: string[] = [];
    // Three token_expiring rounds: each one refreshes the pair and hands the socket the new token.
    await waitFor(
      async () => {
        tokens.add(await session.token());
        const name = `S-${names.length}`;
        names.push(name);
        sim.change(saleChange(name, SALES.uid));
        return tokens.size >= 4;
      },
      { what: "three refreshes", timeoutMs: 30_000, intervalMs: 500 },
    );
    // On a timeout the comparison below says what is missing, and why (errors, drops).
    await waitFor(() => device.seen.length === names.length, { what: "every change" }).catch(
      () => undefined,
    );
    const { seen, errors, drops } = device;
    expect({ seen, errors, drops }).toEqual({ seen: names, errors: [], drops: [] });
    const claims = [...tokens].map(claimsOf);
    expect(new Set(claims.map((c) => c.exp)).size).toBe(claims.length);
    expect(claims.every((c) => c.uid === 7 && c.tenant === "default")).toBe(true);
  });

  it("after a refused refresh asks for a new sign-in, then the client resumes by itself", async () => {
    const { sim, hub, session } = await setup();
    await session.signIn({ login: SALES.login, apiKey: SALES.apiKey, deviceId: "phone-1" });
    const device = live(hub.url, session);
    await waitFor(() => device.client.connected, { what: "connected" });
    // Odoo no longer lets the user in: the next refresh is refused, and the pair forgotten.
    sim.updateAccount(SALES.uid, { active: false });
    await waitFor(() => device.errors.some((e) => e.code === "refresh_invalid"), {
      what: "the refused refresh",
      timeoutMs: 15_000,
    });
    expect(await session.current()).toBeNull();
    await waitFor(() => device.errors.some((e) => e.code === "signed_out"), {
      what: "the client asking for a token while signed out",
      timeoutMs: 70_000,
    });
    expect(device.errors.every((e) => !e.fatal)).toBe(true);

    sim.updateAccount(SALES.uid, { active: true });
    await session.signIn({ login: SALES.login, apiKey: SALES.apiKey, deviceId: "phone-1" });
    await waitFor(() => device.client.connected, { what: "the reconnect", timeoutMs: 10_000 });
    sim.change(saleChange("S-back", SALES.uid));
    await waitFor(() => device.seen.includes("S-back"), { what: "the change after it" });
  });

  it("names what went wrong: a wrong password, an unknown tenant, a hub that is not there", async () => {
    const { hub, session } = await setup();
    const wrong = session.signIn({ login: SALES.login, password: "nope", deviceId: "phone-1" });
    await expect(wrong).rejects.toMatchObject({ code: "signin_failed" });
    const elsewhere = new OdooSession({ url: hub.url, tenant: "nobody" });
    await expect(
      elsewhere.signIn({ login: SALES.login, password: SALES.password, deviceId: "phone-1" }),
    ).rejects.toMatchObject({ code: "unknown_tenant" });
    const away = new OdooSession({ url: "http://127.0.0.1:9", requestTimeoutMs: 2000 });
    const error: unknown = await away
      .signIn({ login: SALES.login, password: SALES.password, deviceId: "phone-1" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OdooLiveError);
    expect((error as OdooLiveError).code).toBe("transport");
    expect((error as OdooLiveError).message).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/);
  });

  it("signOut ends the chain on the hub: the old refresh token is refused", async () => {
    const { hub, storage, session } = await setup();
    await session.signIn({ login: SALES.login, password: SALES.password, deviceId: "phone-1" });
    const raw = await storage.get(`odoo-live:session:${hub.url}:default`);
    const stored = JSON.parse(String(raw)) as { pair: { refreshToken: string } };
    await session.signOut();
    expect(await session.current()).toBeNull();
    const again = await fetch(`${hub.url}/auth/refresh`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: stored.pair.refreshToken }),
    });
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ error: { code: "refresh_invalid" } });
  });
});
