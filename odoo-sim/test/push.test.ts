import { parseOdooPush } from "@odoo-live/protocol";
import { describe, expect, test } from "vitest";
import { api, startReceiver, startSim, waitFor } from "./helpers.js";

describe("push: one change, two POSTs (instant raw, then the cron's envelope)", () => {
  test("same webhook.event id in both shapes; Bearer False only on the instant path", async () => {
    const sim = await startSim({ now: () => new Date(Date.UTC(2025, 10, 29, 10, 15, 2)) });
    const hub = await startReceiver();
    sim.subscribe({ url: hub.url, authType: "bearer", cronDelayMs: 0 });
    const change = sim.change({ model: "sale.order", recordId: 42, op: "write" });
    await waitFor(() => sim.pushes().length === 2, { what: "two pushes" });
    expect(change.webhookEventId).toBe(1);
    const [raw, envelope] = hub.received;
    expect(raw?.headers).toMatchObject({
      "content-type": "application/json",
      authorization: "Bearer False",
      "user-agent": "python-requests/2.31.0",
    });
    expect(raw?.body).toMatchObject({
      id: 42,
      name: "S00042",
      _webhook_metadata: {
        event_id: 1,
        event_type: "write",
        model: "sale.order",
        record_id: 42,
        timestamp: "2025-11-29T10:15:02",
      },
    });
    expect(raw?.body).not.toHaveProperty("event");
    expect(parseOdooPush(raw?.body)).toMatchObject({ ok: true, push: { kind: "raw" } });
    // The cron path sends auth only when the token is set, and its own User-Agent.
    expect(envelope?.headers["authorization"]).toBeUndefined();
    expect(envelope?.headers["user-agent"]).toBe("Odoo-Webhook/1.0");
    expect(envelope?.body).toMatchObject({
      event_id: 1,
      model: "sale.order",
      record_id: 42,
      event: "write",
      timestamp: "2025-11-29T10:15:02",
      priority: "high",
      category: "business",
      data: { id: 42, _changed_fields: ["name"] },
    });
    expect(envelope?.body).not.toHaveProperty("changed_fields");
    expect(parseOdooPush(envelope?.body)).toMatchObject({ ok: true, push: { kind: "envelope" } });
    expect(sim.pushes()).toEqual([
      { shape: "raw", webhookEventId: 1, status: 200 },
      { shape: "envelope", webhookEventId: 1, status: 200 },
    ]);
    // The same stored payload as the update.webhook row, key order included.
    const pulled = await api(sim, "/pull", { body: { last_event_id: 0, limit: 1 } });
    const { _webhook_metadata: _, ...payload } = raw!.body;
    expect(JSON.stringify(payload)).toBe(JSON.stringify(pulled.json.events[0].payload));
  });

  test("credentials: bearer token on both paths, basic verbatim, api_key in its header", async () => {
    const sim = await startSim();
    const hub = await startReceiver();
    const subscribers = [
      { authType: "bearer", token: "T0k" },
      { authType: "basic", token: "dXNlcjpwYXNz" },
      { authType: "api_key", token: "K3y", apiKeyHeader: "X-Hub-Key" },
    ] as const;
    for (const [i, sub] of subscribers.entries()) {
      // Editing the subscriber changes what its pending events are sent with: one at a time.
      sim.subscribe({ url: hub.url, cronDelayMs: 0, ...sub });
      sim.change({ model: "sale.order", recordId: 1, op: "write" });
      await waitFor(() => hub.received.length === 2 * (i + 1), {
        what: `pushes for ${sub.authType}`,
      });
    }
    const header = (i: number, name: string) => hub.received[i]?.headers[name];
    expect([header(0, "authorization"), header(1, "authorization")]).toEqual([
      "Bearer T0k",
      "Bearer T0k",
    ]);
    expect([header(2, "authorization"), header(3, "authorization")]).toEqual([
      "Basic dXNlcjpwYXNz",
      "Basic dXNlcjpwYXNz",
    ]);
    expect([header(4, "x-hub-key"), header(5, "x-hub-key")]).toEqual(["K3y", "K3y"]);
  });

  test("the cron copy comes cronDelayMs after commit; instant: false sends only it", async () => {
    const sim = await startSim();
    const hub = await startReceiver();
    sim.subscribe({ url: hub.url, authType: "none", instant: false, cronDelayMs: 100 });
    const started = Date.now();
    sim.change({ model: "sale.order", recordId: 3, op: "create" });
    await waitFor(() => hub.received.length === 1, { what: "the envelope" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    // pushes() records the answer, which arrives after the receiver saw the request.
    await waitFor(() => sim.pushes().length === 1, { what: "the recorded push" });
    expect(sim.pushes()).toEqual([{ shape: "envelope", webhookEventId: 1, status: 200 }]);
  });

  test("runCron sends every pending event at once, each once (method_direct_trigger)", async () => {
    const sim = await startSim();
    const hub = await startReceiver();
    sim.subscribe({ url: hub.url, authType: "bearer", instant: false, cronDelayMs: 60_000 });
    for (const recordId of [1, 2, 3]) sim.change({ model: "sale.order", recordId, op: "write" });
    expect(sim.pushes()).toEqual([]);
    sim.runCron();
    sim.runCron();
    await waitFor(() => sim.pushes().length === 3, { what: "three envelopes" });
    expect(sim.pushes().map((p) => [p.shape, p.webhookEventId])).toEqual([
      ["envelope", 1],
      ["envelope", 2],
      ["envelope", 3],
    ]);
  });

  test("config-path writes (models without a default rule) carry top-level changed_fields", async () => {
    const sim = await startSim();
    const hub = await startReceiver();
    sim.subscribe({ url: hub.url, authType: "none", instant: false, cronDelayMs: 0 });
    sim.change({ model: "x_custom.thing", recordId: 5, op: "write" });
    await waitFor(() => hub.received.length === 1, { what: "the envelope" });
    expect(hub.received[0]?.body).toMatchObject({
      changed_fields: ["name"],
      data: { _metadata: { model: "x_custom.thing", operation: "write" } },
    });
  });
});

describe("push counts follow the entry path and the model, as on a real Odoo 18", () => {
  test("JSON-RPC: an instant model's change is pushed once, raw; the web client's twice", async () => {
    const sim = await startSim();
    const hub = await startReceiver();
    sim.subscribe({ url: hub.url, authType: "none", cronDelayMs: 0 });
    sim.change({ model: "sale.order", recordId: 1, op: "create", via: "jsonrpc" });
    sim.change({ model: "sale.order", recordId: 2, op: "create", via: "web" });
    sim.change({ model: "sale.order", recordId: 1, op: "unlink", via: "jsonrpc" });
    // A last change through the web client: once its envelope is in, nothing else is queued.
    sim.change({ model: "sale.order", recordId: 3, op: "write" });
    await waitFor(
      () => sim.pushes().some((p) => p.webhookEventId === 4 && p.shape === "envelope"),
      {
        what: "the last envelope",
      },
    );
    expect(sim.pushes().map((p) => [p.webhookEventId, p.shape])).toEqual([
      [1, "raw"],
      [2, "raw"],
      [3, "raw"],
      [4, "raw"],
      [2, "envelope"],
      [4, "envelope"],
    ]);
  });

  test("res.partner: creates and writes only by the cron, as envelopes; unlinks not pushed", async () => {
    const sim = await startSim();
    const hub = await startReceiver();
    sim.subscribe({ url: hub.url, authType: "none", cronDelayMs: 0 });
    const created = sim.change({ model: "res.partner", recordId: 7, op: "create", via: "jsonrpc" });
    const written = sim.change({ model: "res.partner", recordId: 7, op: "write" });
    const deleted = sim.change({ model: "res.partner", recordId: 7, op: "unlink" });
    expect(deleted.webhookEventId).toBeUndefined();
    sim.change({ model: "sale.order", recordId: 1, op: "write" });
    await waitFor(() => sim.pushes().length === 4, { what: "four pushes" });
    expect(sim.pushes().map((p) => [p.webhookEventId, p.shape])).toEqual([
      [3, "raw"],
      [created.webhookEventId, "envelope"],
      [written.webhookEventId, "envelope"],
      [3, "envelope"],
    ]);
    expect(sim.rows().map((r) => r.event)).toEqual(["create", "write", "unlink", "write"]);
  });

  test("installRows: the 9 rows the module's installation writes, never pushed", async () => {
    const sim = await startSim({ installRows: true });
    const hub = await startReceiver();
    sim.subscribe({ url: hub.url, authType: "none", cronDelayMs: 0 });
    expect(sim.rows().map((r) => [r.id, r.model, r.record_id, r.event, r.user_id])).toEqual([
      [1, "res.partner", 1, "write", 1],
      ...Array.from({ length: 8 }, (_, i) => [i + 2, "account.journal", i + 1, "create", 1]),
    ]);
    expect(sim.rows()[0]?.payload).toMatchObject({
      name: "My Company",
      _metadata: { rule_id: 10, rule_name: "Partners - Update" },
      _changed_fields: ["country_id"],
    });
    expect(sim.rows()[8]?.payload).toMatchObject({
      name: "Inventory Valuation",
      _metadata: { rule_id: 23, rule_name: "Account Journals - Create" },
    });
    sim.change({ model: "sale.order", recordId: 1, op: "write", via: "jsonrpc" });
    await waitFor(() => sim.pushes().length === 1, { what: "the one push" });
    expect(hub.received).toHaveLength(1);
    expect(hub.received[0]?.body).toMatchObject({ _webhook_metadata: { record_id: 1 } });
  });
});

describe("push delivery order and failures", () => {
  test("pushes follow commit order; a rolled-back change consumes its event id but sends nothing", async () => {
    const sim = await startSim();
    const hub = await startReceiver();
    sim.subscribe({ url: hub.url, authType: "none", cronDelayMs: null });
    const late = sim.change({ model: "sale.order", recordId: 1, op: "write", commitDelayMs: 100 });
    const lost = sim.change({ model: "sale.order", recordId: 2, op: "write", rollback: true });
    const early = sim.change({ model: "sale.order", recordId: 3, op: "write" });
    expect([late.webhookEventId, lost.webhookEventId, early.webhookEventId]).toEqual([1, 2, 3]);
    await late.committed;
    await waitFor(() => sim.pushes().length === 2, { what: "two pushes" });
    expect(sim.pushes().map((p) => p.webhookEventId)).toEqual([3, 1]);
    expect(sim.rows().map((r) => r.id)).toEqual([1, 3]);
  });

  test("a failed push is not retried: the event still goes out once per shape", async () => {
    const sim = await startSim();
    const hub = await startReceiver();
    hub.answer = 500;
    sim.subscribe({ url: hub.url, authType: "bearer", token: "T", cronDelayMs: 0 });
    sim.change({ model: "sale.order", recordId: 1, op: "write" });
    await waitFor(() => sim.pushes().length === 2, { what: "both shapes" });
    hub.answer = 200;
    // One more event: the queue is ordered, so once it is through nothing else is pending.
    sim.change({ model: "sale.order", recordId: 2, op: "write" });
    await waitFor(() => sim.pushes().length === 4, { what: "the second event" });
    expect(sim.pushes().map((p) => [p.webhookEventId, p.shape, p.status])).toEqual([
      [1, "raw", 500],
      [1, "envelope", 500],
      [2, "raw", 200],
      [2, "envelope", 200],
    ]);
  });

  test("an unreachable hub is recorded as an error and nothing crashes", async () => {
    const sim = await startSim();
    sim.subscribe({ url: "http://127.0.0.1:9/webhooks/odoo", authType: "none", cronDelayMs: 0 });
    sim.change({ model: "sale.order", recordId: 1, op: "write" });
    await waitFor(() => sim.pushes().length === 2, { what: "two attempts" });
    expect(sim.pushes().map((p) => p.status)).toEqual(["error", "error"]);
  });

  test("an empty API key makes the instant path fail before sending; the cron sends without it", async () => {
    const sim = await startSim();
    const hub = await startReceiver();
    sim.subscribe({ url: hub.url, authType: "api_key", cronDelayMs: 0 });
    sim.change({ model: "sale.order", recordId: 1, op: "write" });
    await waitFor(() => sim.pushes().length === 2, { what: "two attempts" });
    expect(sim.pushes().map((p) => [p.shape, p.status])).toEqual([
      ["raw", "error"],
      ["envelope", 200],
    ]);
    expect(hub.received).toHaveLength(1);
    expect(hub.received[0]?.headers["x-api-key"]).toBeUndefined();
  });
});
