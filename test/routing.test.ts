import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asEnvelope, asRawPush, partnerWrite, saleOrderCreate } from "@odoo-live/protocol/fixtures";
import { describe, expect, it } from "vitest";
import { connectReady, mintToken, push, PUSH_TOKEN, startTestHub } from "./helpers/hub.js";
import { waitFor } from "./helpers/wait.js";

/** Pushes `probe` last and waits for it, so that anything routed earlier has arrived too. */
async function settle(
  hub: Parameters<typeof push>[0],
  watchers: { events: { id: string }[] }[],
  tenant?: string,
) {
  const probe = {
    ...partnerWrite,
    recordId: 99,
    payload: { ...partnerWrite.payload, id: 99, user_id: false },
  };
  const response = await push(hub, asEnvelope(probe, 9999), tenant === undefined ? {} : { tenant });
  const { id } = (await response.json()) as { id: string };
  await waitFor(() => watchers.every((w) => w.events.some((e) => e.id === id)), {
    what: "probe event",
  });
}

describe("routing and authorization", () => {
  it("delivers by model subscription and by the record's user_id", async () => {
    const hub = await startTestHub();
    const subscriber = await connectReady(hub, {
      token: mintToken({ uid: 50 }),
      deviceId: "wall-1",
      models: ["sale.order", "res.partner"],
    });
    const salesperson = await connectReady(hub, {
      token: mintToken({ uid: 2 }),
      deviceId: "phone-2",
    });
    const bystander = await connectReady(hub, {
      token: mintToken({ uid: 3, models: ["res.partner"] }),
      deviceId: "phone-3",
      models: ["res.partner"],
    });
    await push(hub, asEnvelope(saleOrderCreate, 1)); // user_id 2
    await settle(hub, [subscriber, bystander]);
    expect(subscriber.events.map((e) => e.model)).toEqual(["sale.order", "res.partner"]);
    await waitFor(() => salesperson.events.length === 1, { what: "the salesperson's event" });
    expect(salesperson.events.map((e) => e.model)).toEqual(["sale.order"]);
    expect(bystander.events.map((e) => e.model)).toEqual(["res.partner"]);
  });

  it("withholds a routed event of a model the token does not allow", async () => {
    const hub = await startTestHub();
    const limited = await connectReady(hub, {
      token: mintToken({ uid: 2, models: ["res.partner"] }),
      deviceId: "phone-2",
      models: ["res.partner"],
    });
    const full = await connectReady(hub, { token: mintToken({ uid: 2 }), deviceId: "phone-9" });
    await push(hub, asRawPush(saleOrderCreate, 1));
    await settle(hub, [limited]);
    expect(limited.events.map((e) => e.model)).toEqual(["res.partner"]);
    await waitFor(() => full.events.length === 1, { what: "the full token's event" });
    expect(full.events.map((e) => e.model)).toEqual(["sale.order"]);
  });

  it("refuses to subscribe to a model the token does not allow", async () => {
    const hub = await startTestHub();
    const client = await connectReady(hub, {
      token: mintToken({ uid: 4, models: ["res.partner"] }),
      deviceId: "phone-4",
    });
    expect(
      await client.socket.emitWithAck("subscribe", { models: ["sale.order", "res.partner"] }),
    ).toEqual({
      ok: false,
      error: { code: "model_forbidden", message: "token does not allow: sale.order" },
    });
    expect(await client.socket.emitWithAck("subscribe", { models: ["res.partner"] })).toEqual({
      ok: true,
      models: ["res.partner"],
    });
    expect(await client.socket.emitWithAck("subscribe", { models: ["Not A Model"] })).toMatchObject(
      {
        ok: false,
        error: { code: "invalid_request" },
      },
    );
  });

  it("drops handshake models the token does not allow", async () => {
    const hub = await startTestHub();
    const client = await connectReady(hub, {
      token: mintToken({ uid: 4, models: ["res.partner"] }),
      deviceId: "phone-4",
      models: ["sale.order", "res.partner"],
    });
    expect(client.ready[0]?.models).toEqual(["res.partner"]);
  });

  it("stops delivering after unsubscribe", async () => {
    const hub = await startTestHub();
    const client = await connectReady(hub, {
      token: mintToken({ uid: 5 }),
      deviceId: "wall-5",
      models: ["sale.order", "res.partner"],
    });
    expect(await client.socket.emitWithAck("unsubscribe", { models: ["sale.order"] })).toEqual({
      ok: true,
      models: ["res.partner"],
    });
    await push(hub, asEnvelope(saleOrderCreate, 1));
    await settle(hub, [client]);
    expect(client.events.map((e) => e.model)).toEqual(["res.partner"]);
  });

  it("never delivers another tenant's events", async () => {
    const dir = mkdtempSync(join(tmpdir(), "odoo-live-"));
    const file = join(dir, "tenants.json");
    const push = { token: PUSH_TOKEN };
    writeFileSync(file, JSON.stringify({ tenants: { default: { push }, acme: { push } } }));
    const hub = await startTestHub({ HUB_TENANTS_FILE: file, PUSH_TOKEN: "" });
    const home = await connectReady(hub, {
      token: mintToken({ uid: 2 }),
      deviceId: "phone-1",
      models: ["sale.order", "res.partner"],
    });
    const acme = await connectReady(hub, {
      token: mintToken({ uid: 2, tenant: "acme" }),
      deviceId: "phone-1",
      models: ["sale.order", "res.partner"],
    });
    await pushTo(hub, "acme", asEnvelope(saleOrderCreate, 1));
    await settle(hub, [acme], "acme");
    await settle(hub, [home]);
    expect(home.events.map((e) => [e.tenant, e.model])).toEqual([["default", "res.partner"]]);
    expect(acme.events.map((e) => [e.tenant, e.model])).toEqual([
      ["acme", "sale.order"],
      ["acme", "res.partner"],
    ]);
  });
});

async function pushTo(hub: Parameters<typeof push>[0], tenant: string, body: unknown) {
  const response = await push(hub, body, { tenant });
  expect(response.status).toBe(200);
}
