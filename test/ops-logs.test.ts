/**
 * What an operator reads: a real hub process (LOG_LEVEL=debug) with known secrets, driven through
 * accepted and refused pushes, good and bad handshakes, a refresh, a resync, Odoo (pulled with a
 * user's JSON-RPC key, mirrored with the module's API key) failing and recovering. The lines are there, floods are cut short,
 * and no secret appears anywhere in the output.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { buildHub, startHubProcess, type HubProcess } from "./helpers/hub-process.js";
import { connectRaw, connectReady, mintToken } from "./helpers/hub.js";
import { parseLogLines, type LogLine } from "./helpers/log-capture.js";
import { saleChange, startSim } from "./helpers/sim.js";
import { waitFor } from "./helpers/wait.js";

const secret = (name: string) => `${name}-${randomBytes(12).toString("hex")}`;
const JWT_SECRET = secret("jwt-secret-for-the-log-test");
const PUSH_TOKEN = secret("push-token");
const WRONG_PUSH_TOKEN = secret("wrong-push-token");
const ODOO_API_KEY = secret("odoo-api-key");
const ODOO_RPC_KEY = secret("odoo-rpc-key");
const FOREIGN_JWT_SECRET = secret("someone-elses-jwt-secret-32-chars");
const ADMIN_TOKEN = secret("admin-token");
const WRONG_ADMIN_TOKEN = secret("wrong-admin-token");

beforeAll(() => buildHub(), 120_000);

function body(recordId: number) {
  const change = saleChange(`P${recordId}`);
  return JSON.stringify({
    event_id: recordId,
    model: change.model,
    record_id: recordId,
    event: "write",
    timestamp: "2025-11-29T10:15:02",
    data: { ...change.payload, id: recordId },
  });
}

function post(hub: HubProcess, headers: Record<string, string>, text: string, path = "") {
  return fetch(`${hub.url}/webhooks/odoo${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: text,
  }).then(async (r) => (await r.text(), r.status));
}

const lines = (hub: HubProcess) => parseLogLines(hub.output());
const said = (hub: HubProcess, msg: string, match: (l: LogLine) => boolean = () => true) =>
  lines(hub).filter((l) => l.msg === msg && match(l));

describe("operator logs", () => {
  it("says what was refused, resynced, connected and failed, floods included, and never a secret", async () => {
    const rpc = { login: "admin", uid: 2, key: ODOO_RPC_KEY };
    const sim = await startSim({ apiKey: ODOO_API_KEY, db: "odoo", rpc });
    const hub = await startHubProcess(
      {
        LOG_LEVEL: "debug",
        JWT_SECRET,
        PUSH_TOKEN,
        ODOO_URL: sim.url,
        ODOO_API_KEY,
        ODOO_DB: "odoo",
        ODOO_RPC_UID: "2",
        ODOO_RPC_KEY,
        ODOO_PULL_INTERVAL_MS: "50",
        ODOO_PULL_START: "earliest",
        HUB_PUSH_AUTH_FAILURES_PER_MINUTE: "10000",
        HUB_ADMIN_TOKEN: ADMIN_TOKEN,
      },
      { keepLines: 100_000 },
    );
    const tokens: string[] = [];
    const token = (claims: Parameters<typeof mintToken>[0] = {}, key = JWT_SECRET) => {
      const minted = mintToken(claims, key);
      tokens.push(minted);
      return minted;
    };
    const basic = Buffer.from(`odoo:${PUSH_TOKEN}`).toString("base64");

    // Accepted pushes, in each of Odoo's credential forms.
    expect(await post(hub, { Authorization: `Bearer ${PUSH_TOKEN}` }, body(1))).toBe(200);
    expect(await post(hub, { "X-API-Key": PUSH_TOKEN }, body(2))).toBe(200);
    expect(await post(hub, { Authorization: `Basic ${basic}` }, body(3))).toBe(200);
    // Refused ones: wrong token, none, bad JSON, unknown tenant.
    expect(await post(hub, { Authorization: `Bearer ${WRONG_PUSH_TOKEN}` }, body(4))).toBe(401);
    expect(await post(hub, {}, body(5))).toBe(401);
    expect(await post(hub, { Authorization: `Bearer ${PUSH_TOKEN}` }, "{nope")).toBe(400);
    expect(await post(hub, { "X-API-Key": PUSH_TOKEN }, body(6), "/nope")).toBe(404);
    await waitFor(() => said(hub, "push refused").length >= 4, { what: "4 refused pushes" });
    const refused = said(hub, "push refused");
    expect(refused).toContainEqual(
      expect.objectContaining({ status: 401, tenant: "default", address: "127.0.0.1" }),
    );
    expect(refused).toContainEqual(
      expect.objectContaining({ status: 400, code: "invalid_json", tenant: "default" }),
    );
    expect(refused).toContainEqual(expect.objectContaining({ status: 404, tenant: "nope" }));
    expect(refused.every((l) => typeof l["reason"] === "string" && l.level === 40)).toBe(true);

    // A flood of refused pushes: a few lines, then one that says how many were left out.
    const flood = await Promise.all(
      Array.from({ length: 40 }, () =>
        post(hub, { Authorization: `Bearer ${WRONG_PUSH_TOKEN}` }, body(7)),
      ),
    );
    expect(flood.every((status) => status === 401)).toBe(true);
    await waitFor(
      async () => {
        await post(hub, { Authorization: `Bearer ${WRONG_PUSH_TOKEN}` }, body(8));
        return said(hub, "push refused", (l) => Number(l["suppressed"]) > 0).length > 0;
      },
      { timeoutMs: 5000, intervalMs: 200, what: "a line counting the suppressed ones" },
    );
    const unauthorized = said(hub, "push refused", (l) => l["status"] === 401);
    expect(unauthorized.length).toBeLessThan(15);
    // At most 5 lines at once and 1 a second: nearly all of the 40 were left out, and counted.
    const suppressed = unauthorized.reduce((n, l) => n + Number(l["suppressed"] ?? 0), 0);
    expect(suppressed).toBeGreaterThanOrEqual(30);

    // Handshakes: refused with their code and address; accepted ones logged at debug.
    const bad = connectRaw(hub, { token: token({}, FOREIGN_JWT_SECRET), deviceId: "bad-1" });
    expect((await bad.connectError).message).toMatch(/token rejected/);
    const missing = connectRaw(hub, { deviceId: "bad-2" });
    await missing.connectError;
    await waitFor(() => said(hub, "handshake refused").length >= 2, { what: "refused handshakes" });
    expect(said(hub, "handshake refused")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: "token_invalid", address: "127.0.0.1", level: 40 }),
        expect.objectContaining({ code: "token_missing", address: "127.0.0.1" }),
      ]),
    );

    const device = await connectReady(hub, {
      token: token({ uid: 2 }),
      deviceId: "tablet-logs",
      models: ["sale.order"],
    });
    const refreshed = await device.socket.emitWithAck("refresh", { token: token({ uid: 2 }) });
    expect(refreshed).toMatchObject({ ok: true });
    // Pulled with the RPC key, and the device's position mirrored to Odoo with the API key.
    sim.change(saleChange("pulled-1"));
    await waitFor(() => device.events.some((e) => e.origin.updateWebhookId !== undefined), {
      what: "a pulled event",
    });
    const pulled = device.events.find((e) => e.origin.updateWebhookId !== undefined)!;
    const ledgerId = pulled.origin.updateWebhookId!;
    // Acks reach Odoo once the pull's watermark covers their row.
    await waitFor(
      () => said(hub, "pull watermark moved", (l) => Number(l["to"]) >= ledgerId).length > 0,
      {
        what: "the watermark past the pulled row",
      },
    );
    await device.socket.emitWithAck("ack", { cursor: pulled.cursor, events: 1 });
    await waitFor(() => (sim.syncState(2, "tablet-logs")?.last_event_id ?? 0) > 0, {
      what: "the mirrored position",
    });
    const paths = new Set(sim.requests().map((r) => r.path));
    expect([...paths]).toEqual(expect.arrayContaining(["/jsonrpc", "/api/webhooks/sync-state"]));

    // A device whose cursor is of another epoch gets resync, and the log says so.
    const stale = await connectReady(hub, {
      token: token({ uid: 3 }),
      deviceId: "phone-stale",
      cursor: "0123456789abcdef-5",
    });
    expect(stale.resyncs).toHaveLength(1);
    stale.socket.disconnect();
    await waitFor(() => said(hub, "device disconnected").length >= 1, { what: "a disconnect" });
    expect(said(hub, "resync sent")).toEqual([
      expect.objectContaining({
        tenant: "default",
        deviceId: "phone-stale",
        reason: "epoch_changed",
      }),
    ]);
    expect(said(hub, "device connected", (l) => l["deviceId"] === "tablet-logs")).toEqual([
      expect.objectContaining({ uid: 2, address: "127.0.0.1", transport: "websocket", level: 20 }),
    ]);
    expect(said(hub, "device ready", (l) => l["deviceId"] === "phone-stale")).toEqual([
      expect.objectContaining({ replayed: 0, source: "none" }),
    ]);
    expect(said(hub, "device disconnected", (l) => l["deviceId"] === "phone-stale")).toEqual([
      expect.objectContaining({ reason: "client_namespace_disconnect" }),
    ]);
    expect(said(hub, "session refreshed")).toHaveLength(1);

    // The admin page: wrong tokens are logged (without them), and its state shows no secret.
    const admin = (path: string, init: RequestInit) =>
      fetch(`${hub.url}/admin${path}`, { ...init, redirect: "manual" });
    const form = (token: string) => ({ method: "POST", body: new URLSearchParams({ token }) });
    expect((await admin("/login", form(WRONG_ADMIN_TOKEN))).status).toBe(401);
    expect((await admin("/login", form(ADMIN_TOKEN))).status).toBe(303);
    const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });
    expect((await admin("/api/state", bearer(WRONG_ADMIN_TOKEN))).status).toBe(401);
    const adminState = await (await admin("/api/state", bearer(ADMIN_TOKEN))).text();
    expect(said(hub, "admin login refused").map((l) => l["via"])).toEqual(["login form", "bearer"]);

    // Odoo fails for many pulls: one error when its state changes, one line when it is back.
    sim.setFault("down");
    const before = sim.requests().length;
    await waitFor(() => sim.requests().length >= before + 3, { what: "3 failing pulls" });
    sim.setFault(null);
    await waitFor(() => said(hub, "Odoo is up again").length === 1, { what: "Odoo's recovery" });
    expect(said(hub, "Odoo answers with errors")).toEqual([
      expect.objectContaining({ tenant: "default", odoo: "failing", status: 503, level: 50 }),
    ]);

    await hub.stop();
    const output = hub.output();
    expect(output).toContain("shutting down");
    const keys = [ODOO_API_KEY, ODOO_RPC_KEY];
    const admins = [ADMIN_TOKEN, WRONG_ADMIN_TOKEN];
    const secrets = [
      JWT_SECRET,
      PUSH_TOKEN,
      WRONG_PUSH_TOKEN,
      ...keys,
      ...admins,
      basic,
      ...tokens,
    ];
    for (const value of secrets) expect(output.includes(value), value).toBe(false);
    for (const value of secrets) expect(adminState.includes(value), value).toBe(false);
    expect(output).not.toMatch(/Bearer [A-Za-z0-9]/);
  });
});
