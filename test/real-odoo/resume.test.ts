/**
 * Odoo 18.0-20250702 with auto_webhook 3.1.0 as the device's memory: its `user.sync.state`
 * follows the device's acks, and a hub that lost its state catches the device up from the
 * `update.webhook` ledger, changes made while it was down included.
 */
import { randomUUID } from "node:crypto";
import type { NormalizedEvent } from "@odoo-live/protocol";
import { describe, expect, it } from "vitest";
import { connectReady, mintToken, type RecordingSocket } from "../helpers/hub.js";
import { waitFor } from "../helpers/wait.js";
import { startApp } from "./helpers/app.js";
import { realOdooSkipReason } from "./helpers/real-odoo.js";
import { everyRowSeen, settle } from "./helpers/settle.js";
import {
  MODELS,
  eventKey,
  pulledThrough,
  rowKey,
  startOdooHub,
  useRealOdoo,
} from "./helpers/setup.js";

const skip = realOdooSkipReason();

describe.skipIf(skip !== undefined)("a real Odoo's user.sync.state and ledger", () => {
  const odoo = useRealOdoo();

  /** Every value Odoo showed for the device, in the order read, while waiting for `ledgerId`. */
  async function synced(deviceId: string, ledgerId: number, positions: number[]): Promise<void> {
    await waitFor(
      async () => {
        const position = await odoo.admin.syncedLedgerId(2, deviceId);
        if (position !== undefined) positions.push(position);
        return position === ledgerId;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: `user.sync.state at ${ledgerId}` },
    ).catch((e) => {
      console.log("DEBUG positions", positions.slice(-3));
      throw e;
    });
  }

  /** A pushed sale order and a partner the cron sends: two ledger rows. */
  async function twoChanges(tag: string): Promise<void> {
    await odoo.records.jsonrpc.create("sale.order", { partner_id: 1, client_order_ref: tag });
    await odoo.records.web.create("res.partner", { name: `${tag} partner` });
    await odoo.admin.runCron();
  }

  async function ack(device: RecordingSocket, event: NormalizedEvent | undefined, count: number) {
    const answer = await device.socket.emitWithAck("ack", { cursor: event?.cursor, events: count });
    expect(answer).toMatchObject({ ok: true });
  }

  it("follows the device's acks and never goes backwards", async () => {
    const hub = await startOdooHub(odoo);
    await odoo.admin.runCron();
    const run = randomUUID().slice(0, 8);
    const token = mintToken({ uid: 2 });
    const device = await connectReady(hub, { token, deviceId: `acks-${run}`, models: MODELS });
    const positions: number[] = [];
    const base = await odoo.admin.newestLedgerId();

    await twoChanges(`acks ${run} 1`);
    const first = await everyRowSeen(odoo, base, () => device.events);
    await pulledThrough(hub, first.at(-1)!.id);
    await ack(device, device.events.at(-1), device.events.length);
    await synced(`acks-${run}`, first.at(-1)!.id, positions);

    // An ack of an earlier cursor leaves Odoo where it is; another device's ack, sent after it,
    // shows that the hub's mirror has flushed since.
    await ack(device, device.events[0], 0);
    const other = await connectReady(hub, { token, deviceId: `other-${run}`, models: MODELS });
    await twoChanges(`acks ${run} 2`);
    const second = await everyRowSeen(odoo, first.at(-1)!.id, () => other.events);
    await pulledThrough(hub, second.at(-1)!.id);
    await ack(other, other.events.at(-1), other.events.length);
    await synced(`other-${run}`, second.at(-1)!.id, []);
    expect(await odoo.admin.syncedLedgerId(2, `acks-${run}`)).toBe(first.at(-1)!.id);

    await waitFor(() => device.events.length === first.length + second.length, {
      what: "the second changes on the first device",
    });
    await ack(device, device.events.at(-1), second.length);
    await synced(`acks-${run}`, second.at(-1)!.id, positions);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  }, 60_000);

  it("catches a device up from Odoo after a hub restart, with the changes made meanwhile", async () => {
    const first = await startOdooHub(odoo);
    await odoo.admin.runCron();
    const deviceId = `restart-${randomUUID().slice(0, 8)}`;
    const app = startApp(first, { deviceId, models: MODELS });
    await waitFor(() => app.readies.length === 1, { what: "ready" });
    const base = await odoo.admin.newestLedgerId();
    await twoChanges(`${deviceId} before`);
    const delivered = await everyRowSeen(odoo, base, () => app.seen);
    await pulledThrough(first, delivered.at(-1)!.id);
    await waitFor(async () => ((await odoo.admin.syncedLedgerId(2, deviceId)) ?? 0) > base, {
      timeoutMs: 10_000,
      what: "the device's acks in user.sync.state",
    });
    await first.close();

    // While the hub is down: instant pushes fail for good; the web client's and the partners'
    // pushes stay queued for the module's cron.
    const eventBase = await odoo.admin.newestWebhookEventId();
    await odoo.records.jsonrpc.create("sale.order", { partner_id: 1, client_order_ref: "down" });
    await odoo.records.web.create("sale.order", { partner_id: 1, client_order_ref: "down" });
    await odoo.records.jsonrpc.create("res.partner", { name: `${deviceId} down partner` });

    // The app reconnects by itself as soon as the new hub listens, as mobile apps do.
    const hub = await startOdooHub(odoo);
    await waitFor(() => app.readies.length === 2, { what: "ready after the restart" });
    expect(app.resyncs).toEqual([]);
    expect(app.readies[1]).toMatchObject({ source: "odoo", recovered: true });
    const rows = await odoo.admin.ledger(base, MODELS);
    expect(rows).toHaveLength(5);
    expect(app.seen.map(eventKey)).toEqual(rows.map(rowKey));

    // Then the module's cron sends what it still had queued: the hub knows those changes. (Had
    // Odoo's own scheduler run the cron while the hub was down, they went out then, and failed.)
    await odoo.admin.runCron();
    const sent = await odoo.admin.webhookEvents(eventBase);
    const queued = sent.filter((e) => e.status === "sent" && e.response_code !== 503);
    expect(queued.map((e) => e.response_code)).toEqual(queued.map(() => 200));
    for (const event of queued)
      expect(JSON.parse(event.response_body as string)).toMatchObject({ duplicate: true });
    await settle(odoo, hub, base, () => app.seen);
    expect(app.seen.slice(0, rows.length).map(eventKey)).toEqual(rows.map(rowKey));
    expect(app.seen).toHaveLength(rows.length + 1);
  }, 60_000);
});
