/**
 * Odoo 18.0-20250702 with auto_webhook 3.1.0, changed through external JSON-RPC and through the
 * web client's endpoint: what the module records in `update.webhook` reaches devices once each,
 * in one order, whichever of its push paths (or the pull) carried it.
 */
import { randomUUID } from "node:crypto";
import type { Hub } from "@odoo-live/server";
import { beforeAll, describe, expect, it } from "vitest";
import { connectReady, mintToken, type RecordingSocket } from "../helpers/hub.js";
import { metricSamples, metricSum } from "../helpers/metrics.js";
import { waitFor } from "../helpers/wait.js";
import { startApp, type App } from "./helpers/app.js";
import type { ChangePath } from "./helpers/odoo-calls.js";
import { realOdooSkipReason } from "./helpers/real-odoo.js";
import type { Records } from "./helpers/records.js";
import { settle } from "./helpers/settle.js";
import { MODELS, eventKey, rowKey, startOdooHub, useRealOdoo } from "./helpers/setup.js";

const skip = realOdooSkipReason();

/** Records created before the test, so that its writes are past the module's debounce. */
interface Fixture {
  partner: number;
  orderToWrite: number;
  orderToConfirm: number;
}

async function fixture(records: Records, tag: string): Promise<Fixture> {
  const partner = await records.create("res.partner", { name: `${tag} customer` });
  return {
    partner,
    orderToWrite: await records.create("sale.order", { partner_id: partner }),
    orderToConfirm: await records.create("sale.order", { partner_id: partner }),
  };
}

/** Create, write, confirm and unlink of sale.order; create, write and unlink of res.partner. */
async function changeEverything(records: Records, fixture: Fixture, tag: string) {
  const from = records.made.length;
  const partner = await records.create("res.partner", { name: `${tag} new partner` });
  const order = await records.create("sale.order", { partner_id: fixture.partner });
  await records.write("res.partner", fixture.partner, { phone: `+1 555 ${tag}` });
  await records.write("sale.order", fixture.orderToWrite, { client_order_ref: `${tag} ref` });
  await records.confirm(fixture.orderToConfirm);
  await records.unlink("sale.order", order);
  await records.unlink("res.partner", partner);
  return records.made.slice(from);
}

describe.skipIf(skip !== undefined)("a real Odoo's pushes and ledger", () => {
  const odoo = useRealOdoo();
  const fixtures = {} as Record<ChangePath, Fixture>;
  beforeAll(async () => {
    fixtures.jsonrpc = await fixture(odoo.records.jsonrpc, "rpc");
    fixtures.web = await fixture(odoo.records.web, "web");
  });

  /**
   * New devices (Odoo keeps a device's sync state across runs), connected once the hub holds
   * everything Odoo had queued for it before the test.
   */
  async function devices(hub: Hub): Promise<{ app: App; wire: RecordingSocket }> {
    await odoo.admin.runCron();
    const run = randomUUID().slice(0, 8);
    const app = startApp(hub, { deviceId: `app-${run}`, models: MODELS });
    const wire = await connectReady(hub, {
      token: mintToken({ uid: 2 }),
      deviceId: `wire-${run}`,
      models: MODELS,
    });
    await waitFor(() => app.readies.length > 0, { what: "the app's ready" });
    return { app, wire };
  }

  it("delivers every row once, in one order, through JSON-RPC, the web client and the crons", async () => {
    const hub = await startOdooHub(odoo);
    const { app, wire } = await devices(hub);
    const ledgerBase = await odoo.admin.newestLedgerId();
    const eventBase = await odoo.admin.newestWebhookEventId();
    const made = [
      ...(await changeEverything(odoo.records.jsonrpc, fixtures.jsonrpc, "rpc")),
      ...(await changeEverything(odoo.records.web, fixtures.web, "web")),
    ];
    await odoo.admin.runCron();
    const { rows, events: onWire } = await settle(odoo, hub, ledgerBase, () => wire.events);

    // Each change the test made is one ledger row (none fell into the module's debounce).
    const recorded = rows.map((r) => `${r.model} ${r.record_id} ${r.event}`);
    for (const c of made) expect(recorded).toContain(`${c.model} ${c.recordId} ${c.op}`);

    // The wire: every row once, in the hub's one order; the app saw the same, in the same order.
    expect(onWire.map(eventKey).sort()).toEqual(rows.map(rowKey).sort());
    expect(new Set(onWire.map((e) => e.id)).size).toBe(onWire.length);
    const seqs = onWire.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(app.seen.slice(0, onWire.length).map((e) => e.id)).toEqual(onWire.map((e) => e.id));

    // Odoo's view of the pushes: every one answered 2xx; the cron's second sends were duplicates.
    const sent = await odoo.admin.webhookEvents(eventBase);
    expect(sent.map((e) => e.response_code).filter((c) => c !== 200)).toEqual([]);
    const webOrders = made.filter((c) => c.path === "web" && c.model === "sale.order");
    const resent = sent.filter(
      (e) => e.model === "sale.order" && webOrders.some((c) => c.recordId === e.record_id),
    );
    expect(resent.map((e) => e.status)).toEqual(["sent", "sent", "sent", "sent"]);
    for (const event of resent)
      expect(JSON.parse(event.response_body as string)).toMatchObject({ duplicate: true });
    const statuses = (await metricSamples(hub, "odoo_live_push_requests_total")).map(
      (s) => s.labels["status"],
    );
    expect(new Set(statuses)).toEqual(new Set(["200"]));
    expect(
      await metricSum(hub, "odoo_live_events_ingested_total", {
        source: "push",
        result: "duplicate",
      }),
    ).toBeGreaterThanOrEqual(resent.length);
  }, 90_000);

  it("answers pushes without the subscriber's token 401; the changes still arrive, by pull", async () => {
    const hub = await startOdooHub(odoo);
    const { app, wire } = await devices(hub);
    const ledgerBase = await odoo.admin.newestLedgerId();
    const eventBase = await odoo.admin.newestWebhookEventId();
    const pushed = await metricSum(hub, "odoo_live_events_ingested_total", { source: "push" });
    let refused;
    await odoo.admin.setPushToken(false);
    try {
      // Odoo then sends `Bearer False` on the instant path and no Authorization on the cron path.
      await odoo.records.jsonrpc.create("sale.order", { partner_id: fixtures.jsonrpc.partner });
      await odoo.records.web.create("sale.order", { partner_id: fixtures.web.partner });
      await odoo.records.jsonrpc.create("res.partner", { name: "no-token partner" });
      await odoo.admin.runCron();
      refused = await odoo.admin.webhookEvents(eventBase);
    } finally {
      await odoo.admin.setPushToken(odoo.facts.pushToken);
    }
    // The instant path's refusal fails the event ("HTTP 401: …"); the cron's is recorded as sent.
    const got401 = refused.map((e) =>
      e.status === "failed" ? /^HTTP 401:/.test(String(e.error_message)) : e.response_code === 401,
    );
    expect(got401).toEqual([true, true, true]);
    expect(await metricSum(hub, "odoo_live_push_requests_total", { status: "401" })).toBe(4);
    expect(await metricSum(hub, "odoo_live_events_ingested_total", { source: "push" })).toBe(
      pushed,
    );

    const { rows, events: onWire } = await settle(odoo, hub, ledgerBase, () => wire.events);
    expect(rows).toHaveLength(3);
    expect(onWire.map(eventKey).sort()).toEqual(rows.map(rowKey).sort());
    expect(app.seen.slice(0, onWire.length).map((e) => e.id)).toEqual(onWire.map((e) => e.id));
  }, 60_000);

  it("answers the module's Test connection and Test webhook buttons 2xx and delivers nothing", async () => {
    const hub = await startOdooHub(odoo);
    const { app, wire } = await devices(hub);
    const eventBase = await odoo.admin.newestWebhookEventId();
    const ingested = await metricSum(hub, "odoo_live_events_ingested_total");
    const requests = await metricSum(hub, "odoo_live_push_requests_total");

    const connection = await odoo.admin.call("webhook.subscriber", "test_connection", [
      [odoo.facts.subscriberId],
    ]);
    expect(connection).toMatchObject({ status: "success", response_code: 200 });
    const [config] = (await odoo.admin.call(
      "webhook.config",
      "search_read",
      [[["model_name", "=", "sale.order"]]],
      { fields: ["id"] },
    )) as { id: number }[];
    const action = await odoo.admin.call("webhook.config", "action_test_webhook", [[config!.id]]);
    expect(action).toMatchObject({ params: { type: "success" } });
    const [test] = await odoo.admin.webhookEvents(eventBase);
    expect(test).toMatchObject({ status: "sent", response_code: 200 });
    expect(JSON.parse(test!.response_body as string)).toEqual({ ok: true, test: "config" });
    // HEAD, then the test body, then the config's test envelope.
    expect(await metricSum(hub, "odoo_live_push_requests_total")).toBe(requests + 3);
    expect(await metricSum(hub, "odoo_live_events_ingested_total")).toBe(ingested);

    const { events: onWire } = await settle(
      odoo,
      hub,
      await odoo.admin.newestLedgerId(),
      () => wire.events,
    );
    expect(onWire).toEqual([]);
    expect(app.seen.map((e) => e.model)).toEqual(["sale.order"]);
  }, 60_000);
});
