/**
 * A live session lasts as long as its token: `token_expiring` before `exp`, then `expired` and
 * a close, with no event delivered after `exp`; or a `refresh` with a new token that keeps the
 * session, applies the new token's models at once, and loses nothing.
 */
import { asEnvelope, saleOrderCreate } from "@odoo-live/protocol/fixtures";
import type { Hub } from "@odoo-live/server";
import {
  connect,
  memoryStorage,
  type ClientErrorInfo,
  type OdooLiveClient,
} from "@odoo-live/client";
import { afterEach, describe, expect, it } from "vitest";
import { connectReady, mintToken, push, startTestHub } from "./helpers/hub.js";
import { waitFor } from "./helpers/wait.js";

const LEAD = { HUB_TOKEN_EXPIRING_LEAD_MS: "1000" };

let recordId = 0;

/** Pushes one distinct change of `model`; resolves with the hub's answer time. */
async function pushChange(hub: Hub, model = "sale.order"): Promise<number> {
  const id = ++recordId;
  const change = {
    ...saleOrderCreate,
    model,
    recordId: id,
    payload: { ...saleOrderCreate.payload, id, name: `L${id}` },
  };
  const response = await push(hub, asEnvelope(change, 10_000 + id));
  expect(response.status).toBe(200);
  await response.body?.cancel();
  return Date.now();
}

/** Pushes a change every 50 ms until `until` (ms since the epoch); returns the answer times. */
async function pushUntil(hub: Hub, until: number): Promise<number[]> {
  const answered: number[] = [];
  while (Date.now() < until) {
    answered.push(await pushChange(hub));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return answered;
}

/** A token whose `exp` is `seconds` from now, on a whole second (JWT `exp` is in seconds). */
function shortToken(seconds: number, models: "*" | string[] = "*", uid = 2) {
  return mintToken({ uid, models, expiresIn: seconds });
}

describe("token lifetime", () => {
  it("ends the session at exp: token_expiring first, then expired, and no event after exp", async () => {
    const hub = await startTestHub(LEAD);
    const token = shortToken(3);
    const exp =
      (
        JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as {
          exp: number;
        }
      ).exp * 1000;
    const device = await connectReady(hub, {
      token,
      deviceId: "expiring-1",
      models: ["sale.order"],
    });
    const closed = new Promise<string>((resolve) => device.socket.once("disconnect", resolve));
    const answered = await pushUntil(hub, exp + 1500);
    expect(await closed).toBe("io server disconnect");
    const names = device.log.map(([name]) => name);
    const warned = names.indexOf("token_expiring");
    const ended = names.indexOf("expired");
    expect(warned).toBeGreaterThanOrEqual(0);
    expect(ended).toBeGreaterThan(warned);
    expect(names.slice(ended + 1)).toEqual([]);
    expect(device.log[ended]?.[1]).toMatchObject({ code: "token_expired" });
    // Every push answered after exp was appended after exp: none of them may have arrived.
    const afterExp = answered.filter((at) => at > exp).length;
    expect(afterExp).toBeGreaterThan(5);
    expect(device.events.length).toBeLessThanOrEqual(answered.length - afterExp);
    expect(device.events.length).toBeGreaterThan(0);
  });

  it("a refresh keeps the session past the old exp: new models at once, nothing lost or repeated", async () => {
    const hub = await startTestHub(LEAD);
    const token = shortToken(2, ["sale.order"]);
    const device = await connectReady(hub, {
      token,
      deviceId: "refreshing-1",
      models: ["sale.order", "res.partner"],
    });
    expect(device.ready[0]?.models).toEqual(["sale.order"]);
    await waitFor(() => device.log.some(([name]) => name === "token_expiring"), {
      what: "token_expiring",
    });
    const reply = await device.socket.emitWithAck("refresh", {
      token: shortToken(60, ["sale.order", "res.partner"]),
    });
    expect(reply).toMatchObject({ ok: true, models: ["sale.order", "res.partner"] });
    // The partner subscription the old token withheld applies at once, without a replay.
    await pushChange(hub, "res.partner");
    const answered = await pushUntil(hub, Date.now() + 3000);
    await waitFor(() => device.events.length === answered.length + 1, {
      what: "every change pushed across the old exp",
    });
    expect(device.events[0]?.model).toBe("res.partner");
    const seqs = device.events.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(device.socket.connected).toBe(true);
    expect(device.log.some(([name]) => name === "expired")).toBe(false);
  });

  it("refuses a refresh for another user or tenant, an expired or a bad token; the session goes on", async () => {
    const hub = await startTestHub(LEAD);
    const device = await connectReady(hub, { token: shortToken(60), deviceId: "refreshing-2" });
    const refresh = (token: string) => device.socket.emitWithAck("refresh", { token });
    expect(await refresh(shortToken(60, "*", 3))).toMatchObject({
      ok: false,
      error: { code: "token_invalid", message: expect.stringMatching(/same|session/) },
    });
    expect(await refresh(mintToken({ uid: 2, tenant: "elsewhere" }))).toMatchObject({
      ok: false,
      error: { code: "unknown_tenant" },
    });
    expect(await refresh(mintToken({ uid: 2, expiresIn: -10 }))).toMatchObject({
      ok: false,
      error: { code: "token_expired" },
    });
    expect(await refresh("not-a-jwt")).toMatchObject({
      ok: false,
      error: { code: "token_invalid" },
    });
    expect(await device.socket.emitWithAck("refresh", {})).toMatchObject({
      ok: false,
      error: { code: "invalid_request" },
    });
    expect(device.socket.connected).toBe(true);
  });
});

describe("acks", () => {
  it("never move a device past what the log holds", async () => {
    const hub = await startTestHub();
    const device = await connectReady(hub, { token: mintToken(), deviceId: "acking-1" });
    const ack = (cursor: string) => device.socket.emitWithAck("ack", { cursor, events: 1 });
    expect(await ack("odoo-999999999")).toMatchObject({
      ok: false,
      error: { code: "invalid_cursor", message: expect.stringMatching(/ledger row 999999999/) },
    });
    const head = device.ready[0]?.cursor ?? "";
    expect(
      await ack(head.replace(/-(\d+)$/, (_, seq: string) => `-${Number(seq) + 5}`)),
    ).toMatchObject({ ok: false, error: { code: "invalid_cursor" } });
  });
});

describe("client library and token lifetime", () => {
  const apps: OdooLiveClient[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  function app(hub: Hub, token: () => string) {
    const client = connect({
      url: hub.url,
      token,
      deviceId: "refreshing-app",
      models: ["sale.order"],
      storage: memoryStorage(),
      reconnect: { minDelayMs: 20, maxDelayMs: 100 },
    });
    apps.push(client);
    const seen: string[] = [];
    const errors: ClientErrorInfo[] = [];
    const drops: string[] = [];
    client.on("event", (event) => void seen.push(String(event.record["name"])));
    client.on("error", (error) => void errors.push(error));
    client.on("disconnect", (reason) => void drops.push(reason));
    return { client, seen, errors, drops };
  }

  it("refreshes through its token function before exp, without dropping the connection", async () => {
    const hub = await startTestHub(LEAD);
    let minted = 0;
    const device = app(hub, () => (minted++, shortToken(2)));
    await waitFor(() => device.client.connected, { what: "connected" });
    const answered = await pushUntil(hub, Date.now() + 5000);
    await waitFor(() => device.seen.length === answered.length, { what: "every change" });
    expect(minted).toBeGreaterThanOrEqual(3);
    expect(device.drops).toEqual([]);
    expect(device.errors).toEqual([]);
    expect(new Set(device.seen).size).toBe(device.seen.length);
  });

  it("a refused refresh is reported, and the client reconnects with a fresh token", async () => {
    const hub = await startTestHub(LEAD);
    let calls = 0;
    // The first refresh returns another user's token, which the hub refuses.
    const device = app(hub, () => (++calls === 2 ? shortToken(60, "*", 3) : shortToken(2)));
    await waitFor(() => device.errors.length > 0, { what: "the refused refresh" });
    expect(device.errors[0]).toMatchObject({ code: "token_invalid", fatal: false });
    await waitFor(() => device.drops.length > 0 && device.client.connected, {
      what: "a reconnect",
    });
    const answered = await pushUntil(hub, Date.now() + 500);
    await waitFor(() => device.seen.length === answered.length, { what: "the changes after it" });
  });
});
