/**
 * Drives the hub with raw Engine.IO v4 / Socket.IO v5 frames over a plain WebSocket, exactly as
 * PROTOCOL.md describes them for clients that have no Socket.IO library.
 */
import { AdminTest, NormalizedEvent, Ready } from "@odoo-live/protocol";
import { asEnvelope, saleOrderCreate } from "@odoo-live/protocol/fixtures";
import { encodeCursor } from "@odoo-live/server";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { mintToken, push, startTestHub } from "./helpers/hub.js";
import { waitFor } from "./helpers/wait.js";

class RawClient {
  readonly frames: string[] = [];
  private readonly ws: WebSocket;
  private taken = 0;

  constructor(url: string) {
    this.ws = new WebSocket(`${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`);
    this.ws.on("message", (data: Buffer) => {
      const frame = data.toString();
      if (frame === "2")
        this.ws.send("3"); // Engine.IO ping → pong
      else this.frames.push(frame);
    });
  }

  send(frame: string): void {
    this.ws.send(frame);
  }

  /** The next frame not yet taken. */
  async next(): Promise<string> {
    await waitFor(() => this.frames.length > this.taken, { what: `frame #${this.taken + 1}` });
    return this.frames[this.taken++] ?? "";
  }

  close(): void {
    this.ws.close();
  }
}

function payloadOf(frame: string, prefix: string): unknown {
  expect(frame.startsWith(prefix)).toBe(true);
  return JSON.parse(frame.slice(prefix.length));
}

describe("wire protocol (PROTOCOL.md)", () => {
  it("connects, receives ready and events, and answers requests with acknowledgements", async () => {
    const hub = await startTestHub();
    const client = new RawClient(hub.url);
    const open = payloadOf(await client.next(), "0") as { sid: string; pingInterval: number };
    expect(open.pingInterval).toBeGreaterThan(0);
    client.send(
      `40${JSON.stringify({ token: mintToken({ uid: 2 }), deviceId: "raw-device-1", models: ["sale.order"] })}`,
    );
    expect(payloadOf(await client.next(), "40")).toHaveProperty("sid");
    const [name, ready] = payloadOf(await client.next(), "42") as [string, unknown];
    expect(name).toBe("ready");
    expect(Ready.parse(ready)).toMatchObject({
      uid: 2,
      deviceId: "raw-device-1",
      models: ["sale.order"],
      source: "none",
    });

    expect((await push(hub, asEnvelope(saleOrderCreate, 77))).status).toBe(200);
    const [eventName, body] = payloadOf(await client.next(), "42") as [string, unknown];
    expect(eventName).toBe("event");
    const event = NormalizedEvent.parse(body);
    expect(event).toMatchObject({
      seq: 1,
      model: "sale.order",
      recordId: 42,
      op: "create",
      origin: { webhookEventId: 77 },
    });

    client.send(`421${JSON.stringify(["ack", { cursor: event.cursor, events: 1 }])}`);
    expect(payloadOf(await client.next(), "431")).toEqual([{ ok: true, cursor: event.cursor }]);
    client.send(`422${JSON.stringify(["subscribe", { models: ["res.partner"] }])}`);
    expect(payloadOf(await client.next(), "432")).toEqual([
      { ok: true, models: ["sale.order", "res.partner"] },
    ]);
    client.send(`423${JSON.stringify(["unsubscribe", { models: "sale.order" }])}`);
    const [reply] = payloadOf(await client.next(), "433") as [
      { ok: boolean; error: { code: string } },
    ];
    expect(reply).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    client.close();
  });

  it("answers a request frame without a body with invalid_request", async () => {
    const hub = await startTestHub();
    const client = new RawClient(hub.url);
    await client.next();
    client.send(`40${JSON.stringify({ token: mintToken({ uid: 2 }), deviceId: "raw-device-1" })}`);
    await client.next(); // CONNECT
    await client.next(); // ready
    for (const [id, request] of [
      [4, "ack"],
      [5, "subscribe"],
      [6, "unsubscribe"],
    ] as const) {
      client.send(`42${id}${JSON.stringify([request])}`);
      const [reply] = payloadOf(await client.next(), `43${id}`) as [unknown];
      expect(reply).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    }
    client.close();
  });

  it("refuses a bad handshake with a CONNECT_ERROR packet carrying the code", async () => {
    const hub = await startTestHub();
    const client = new RawClient(hub.url);
    await client.next();
    client.send(`40${JSON.stringify({ deviceId: "raw-device-1" })}`);
    expect(payloadOf(await client.next(), "44")).toEqual({
      message: "auth.token is required",
      data: { code: "token_missing" },
    });
    client.close();
  });

  it("resumes from a cursor: resync or events, then ready, before anything live", async () => {
    const hub = await startTestHub();
    const token = mintToken({ uid: 2 });
    await push(hub, asEnvelope(saleOrderCreate, 1));
    const client = new RawClient(hub.url);
    await client.next();
    const cursor = encodeCursor({ epoch: (await hub.log.head("default")).epoch, seq: 0 });
    client.send(`40${JSON.stringify({ token, deviceId: "raw-device-2", cursor })}`);
    await client.next();
    const names = [await client.next(), await client.next()].map(
      (f) => (payloadOf(f, "42") as [string])[0],
    );
    expect(names).toEqual(["event", "ready"]);
    client.close();
  });

  it("token lifetime: token_expiring, a refresh request, then expired and a DISCONNECT packet", async () => {
    const hub = await startTestHub({ HUB_TOKEN_EXPIRING_LEAD_MS: "1000" });
    const client = new RawClient(hub.url);
    await client.next();
    const short = (models: string[]) => mintToken({ uid: 2, models, expiresIn: 2 });
    client.send(`40${JSON.stringify({ token: short(["sale.order"]), deviceId: "raw-device-4" })}`);
    await client.next(); // CONNECT
    expect((payloadOf(await client.next(), "42") as [string])[0]).toBe("ready");
    expect(payloadOf(await client.next(), "42")).toEqual([
      "token_expiring",
      {
        code: "token_expiring",
        expiresAt: expect.any(String) as string,
        message: expect.any(String) as string,
      },
    ]);
    client.send(
      `427${JSON.stringify(["refresh", { token: short(["sale.order", "res.partner"]) }])}`,
    );
    const [refreshed] = payloadOf(await client.next(), "437") as [{ expiresAt: string }];
    expect(refreshed).toMatchObject({ ok: true, models: [] });
    expect(Date.parse(refreshed.expiresAt)).toBeGreaterThan(Date.now());
    // No refresh this time: told, then disconnected.
    expect((payloadOf(await client.next(), "42") as [string])[0]).toBe("token_expiring");
    expect(payloadOf(await client.next(), "42")).toEqual([
      "expired",
      { code: "token_expired", message: expect.any(String) as string },
    ]);
    expect(await client.next()).toBe("41");
    client.close();
  });

  it("sends an older session of the device `replaced`, then a DISCONNECT packet", async () => {
    const hub = await startTestHub();
    const auth = JSON.stringify({ token: mintToken({ uid: 2 }), deviceId: "raw-device-3" });
    const [older, newer] = [new RawClient(hub.url), new RawClient(hub.url)];
    await older.next();
    older.send(`40${auth}`);
    await older.next();
    expect((payloadOf(await older.next(), "42") as [string])[0]).toBe("ready");
    await newer.next();
    newer.send(`40${auth}`);
    expect(payloadOf(await older.next(), "42")).toEqual([
      "replaced",
      { code: "session_replaced", message: expect.any(String) as string },
    ]);
    expect(await older.next()).toBe("41");
    older.close();
    newer.close();
  });

  it("an admin_test notice comes with an acknowledgement id; the answer reaches the admin", async () => {
    const admin = "an-admin-token-0123456789";
    const hub = await startTestHub({ HUB_ADMIN_TOKEN: admin });
    const client = new RawClient(hub.url);
    await client.next();
    client.send(`40${JSON.stringify({ token: mintToken({ uid: 2 }), deviceId: "raw-device-4" })}`);
    await client.next();
    expect((payloadOf(await client.next(), "42") as [string])[0]).toBe("ready");
    const sent = fetch(`${hub.url}/admin/api/test-notice`, {
      method: "POST",
      headers: { Authorization: `Bearer ${admin}`, "Content-Type": "application/json" },
      body: JSON.stringify({ tenant: "default", uid: 2, deviceId: "raw-device-4", message: "hi" }),
    });
    const frame = await client.next();
    const [, id, packet] = /^42(\d+)(\[.*)$/.exec(frame) ?? [];
    const [name, notice] = JSON.parse(packet ?? "[]") as [string, unknown];
    expect(name).toBe("admin_test");
    expect(AdminTest.parse(notice)).toMatchObject({ code: "admin_test", message: "hi" });
    client.send(`43${id}${JSON.stringify([{ ok: true }])}`);
    expect(await (await sent).json()).toMatchObject({ ok: true, acknowledged: 1 });
    client.close();
  });
});
