/**
 * The Server-Sent Events transport with a real HTTP client: the same routing, replay,
 * `ready`/`resync` and token expiry as Socket.IO, resumed across a reconnect by `Last-Event-ID`.
 */
import type { NormalizedEvent } from "@odoo-live/protocol";
import { describe, expect, it } from "vitest";
import { pushNamed } from "./helpers/changes.js";
import { mintToken, startTestHub } from "./helpers/hub.js";
import { openSse, type SseStream } from "./helpers/sse.js";
import { waitFor } from "./helpers/wait.js";

const events = (stream: SseStream) =>
  stream.messages.filter((m) => m.event === "event").map((m) => m.data as NormalizedEvent);
const names = (stream: SseStream) => events(stream).map((e) => e.record["name"]);

describe("Server-Sent Events", () => {
  it("streams events with their cursors as ids, and resumes from Last-Event-ID without a gap", async () => {
    const hub = await startTestHub();
    const query = `deviceId=sse-1&models=sale.order&token=${mintToken({ uid: 2 })}`;
    const first = await openSse(`${hub.url}/events?${query}`);
    expect(first.status).toBe(200);
    await waitFor(() => first.messages.some((m) => m.event === "ready"), { what: "ready" });
    const ready = first.messages.find((m) => m.event === "ready");
    expect(ready?.data).toMatchObject({ uid: 2, deviceId: "sse-1", source: "none" });
    expect(ready?.id).toBe((ready?.data as { cursor: string }).cursor);
    await pushNamed(hub, ["A", "B"]);
    await waitFor(() => events(first).length === 2, { what: "two events" });
    const last = first.messages.at(-1);
    expect(last?.id).toBe(events(first)[1]?.cursor);
    first.close();

    await pushNamed(hub, ["C", "D"]);
    const again = await openSse(`${hub.url}/events?${query}`, { "Last-Event-ID": last?.id ?? "" });
    await waitFor(() => again.messages.some((m) => m.event === "ready"), { what: "ready again" });
    await pushNamed(hub, ["E"]);
    await waitFor(() => events(again).length === 3, { what: "C, D and E" });
    expect(names(again)).toEqual(["C", "D", "E"]);
    expect(again.messages.map((m) => m.event)).toEqual(["event", "event", "ready", "event"]);
    expect(again.messages.find((m) => m.event === "ready")?.data).toMatchObject({
      recovered: true,
      replayed: 2,
    });
    again.close();
  });

  it("refuses a bad request with a JSON error, and routes as Socket.IO does", async () => {
    const hub = await startTestHub();
    const missing = await fetch(`${hub.url}/events?deviceId=sse-2`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: "token_missing" } });
    const badDevice = await fetch(`${hub.url}/events?deviceId=x&token=${mintToken()}`);
    expect(badDevice.status).toBe(400);
    expect(await badDevice.json()).toMatchObject({ error: { code: "invalid_handshake" } });
    const partners = await openSse(`${hub.url}/events?deviceId=sse-3&models=res.partner`, {
      Authorization: `Bearer ${mintToken({ uid: 5 })}`,
    });
    const orders = await openSse(`${hub.url}/events?deviceId=sse-4&models=sale.order`, {
      Authorization: `Bearer ${mintToken({ uid: 5, models: ["sale.order"] })}`,
    });
    await waitFor(() => orders.messages.length === 1 && partners.messages.length === 1, {
      what: "both ready",
    });
    await pushNamed(hub, ["F"]);
    await waitFor(() => events(orders).length === 1, { what: "the order" });
    expect(events(partners)).toEqual([]);
    partners.close();
    orders.close();
  });

  it("ends the stream at the token's exp: token_expiring, then expired", async () => {
    const hub = await startTestHub({ HUB_TOKEN_EXPIRING_LEAD_MS: "1000" });
    const token = mintToken({ uid: 2, expiresIn: 2 });
    const stream = await openSse(`${hub.url}/events?deviceId=sse-5&token=${token}`);
    await stream.ended;
    expect(stream.messages.map((m) => m.event)).toEqual(["ready", "token_expiring", "expired"]);
    expect(stream.messages.at(-1)?.data).toMatchObject({ code: "token_expired" });
  });
});
