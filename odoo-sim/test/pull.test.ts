import { OdooApiError, OdooHealthResponse, OdooPullResponse } from "@odoo-live/protocol";
import { describe, expect, test } from "vitest";
import type { OdooSim } from "../src/index.js";
import { api, startSim } from "./helpers.js";

const ids = (body: { events: { id: number }[] }) => body.events.map((e) => e.id);

async function pull(sim: OdooSim, body: Record<string, unknown>) {
  const answer = await api(sim, "/pull", { body });
  expect(answer.status).toBe(200);
  return OdooPullResponse.parse(answer.json);
}

/** Rows 1..4: sale.order, res.partner, sale.order, sale.order. */
function fourRows(sim: OdooSim): void {
  for (const model of ["sale.order", "res.partner", "sale.order", "sale.order"])
    sim.change({ model, recordId: 7, op: "write" });
}

describe("pull paging", () => {
  test("pages in id order; last_id is the page's last id; has_more looks past the page", async () => {
    const sim = await startSim();
    fourRows(sim);
    const first = await pull(sim, { last_event_id: 0, limit: 3 });
    expect([ids(first), first.last_id, first.has_more, first.count]).toEqual([
      [1, 2, 3],
      3,
      true,
      3,
    ]);
    const second = await pull(sim, { last_event_id: 3, limit: 3 });
    expect([ids(second), second.last_id, second.has_more]).toEqual([[4], 4, false]);
    const empty = await pull(sim, { last_event_id: 4, limit: 3 });
    expect([ids(empty), empty.last_id, empty.has_more, empty.count]).toEqual([[], 4, false, 0]);
  });

  test("has_more ignores the models and priority filters", async () => {
    const sim = await startSim();
    fourRows(sim);
    const partners = await pull(sim, { last_event_id: 0, limit: 10, models: ["res.partner"] });
    // Rows 3 and 4 are sale orders: the next filtered page is empty, yet has_more is true.
    expect([ids(partners), partners.last_id, partners.has_more]).toEqual([[2], 2, true]);
    const next = await pull(sim, { last_event_id: 2, limit: 10, models: ["res.partner"] });
    expect([ids(next), next.last_id, next.has_more]).toEqual([[], 2, false]);
    const high = await pull(sim, { last_event_id: 0, limit: 1, priority: "high" });
    expect([ids(high), high.has_more]).toEqual([[1], true]);
  });

  test("GET takes query strings: models as a comma list, numbers as text", async () => {
    const sim = await startSim();
    fourRows(sim);
    const answer = await api(sim, "/pull?last_event_id=1&limit=5&models=res.partner,%20sale.order");
    expect(ids(OdooPullResponse.parse(answer.json))).toEqual([2, 3, 4]);
  });

  test("limit defaults to 100 and is capped at 1000", async () => {
    const sim = await startSim();
    for (let i = 1; i <= 1001; i++) sim.change({ model: "res.partner", recordId: i, op: "create" });
    expect((await pull(sim, { last_event_id: 0 })).count).toBe(100);
    expect((await pull(sim, { last_event_id: 0, limit: 5000 })).count).toBe(1000);
  });

  test("rows carry the Odoo formats; the body is pretty-printed with the module's CORS headers", async () => {
    const clock = new Date(Date.UTC(2025, 10, 29, 10, 15, 2, 512));
    const sim = await startSim({ now: () => clock });
    sim.change({ model: "sale.order", recordId: 42, op: "write", userId: 6 });
    sim.change({
      model: "res.partner",
      recordId: 7,
      op: "create",
      userId: null,
      category: "system",
    });
    const answer = await api(sim, "/pull", { body: { last_event_id: 0, limit: 10 } });
    expect(answer.text.startsWith('{\n  "events": [\n    {\n      "id": 1,')).toBe(true);
    expect(answer.headers.get("content-type")).toBe("application/json");
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("access-control-allow-headers")).toBe("Content-Type, X-API-Key");
    const body = OdooPullResponse.parse(answer.json);
    expect(body.timestamp).toBe("2025-11-29T10:15:02.512000");
    expect(body.events[0]).toMatchObject({
      model: "sale.order",
      record_id: 42,
      event: "write",
      timestamp: "2025-11-29T10:15:02",
      priority: "high",
      category: "business",
      user_id: 6,
      user_name: "Marc Demo",
    });
    expect(body.events[0]?.payload).toMatchObject({
      id: 42,
      name: "S00042",
      user_id: { id: 6, name: "Marc Demo" },
      // Odoo's magic columns keep microseconds; the row's own timestamp is whole seconds.
      create_date: "2025-11-29T10:15:02.512000",
      write_date: "2025-11-29T10:15:02.512000",
      _metadata: { model: "sale.order", id: 42, rule_id: 2, rule_name: "Sale Orders - Update" },
      _changed_fields: ["name"],
    });
    expect(body.events[1]).toMatchObject({ priority: "medium", category: "system" });
    expect(body.events[1]).toMatchObject({ user_id: null, user_name: null });
    expect(body.events[1]?.payload?.["user_id"]).toEqual({ id: false, name: "" });
  });

  test("the payload comes back in jsonb key order (shortest key first, then bytewise)", async () => {
    const sim = await startSim();
    const payload = { zeta: 1, a: { yy: 1, b: 2 }, bb: [{ ccc: 1, d: 2 }], é: "x" };
    sim.change({ model: "x_thing", recordId: 1, op: "create", payload });
    const answer = await api(sim, "/pull", { body: { last_event_id: 0, limit: 1 } });
    const stored = OdooPullResponse.parse(answer.json).events[0]?.payload ?? {};
    expect(JSON.stringify(stored)).toBe(
      '{"a":{"b":2,"yy":1},"bb":[{"d":2,"ccc":1}],"é":"x","zeta":1}',
    );
    // json.dumps escapes non-ASCII characters.
    expect(answer.text).toContain('"\\u00e9": "x"');
  });
});

describe("ids are assigned at insert, rows appear at commit", () => {
  test("a late commit shows a lower id after a higher one was served", async () => {
    const sim = await startSim();
    const late = sim.change({ model: "sale.order", recordId: 1, op: "write", commitDelayMs: 150 });
    const early = sim.change({ model: "sale.order", recordId: 2, op: "write" });
    expect([late.updateWebhookId, early.updateWebhookId]).toEqual([1, 2]);
    const before = await pull(sim, { last_event_id: 0, limit: 10 });
    expect([ids(before), before.last_id]).toEqual([[2], 2]);
    await late.committed;
    // A reader that only moves its cursor forward never sees row 1.
    expect(ids(await pull(sim, { last_event_id: 2, limit: 10 }))).toEqual([]);
    expect(ids(await pull(sim, { last_event_id: 0, limit: 10 }))).toEqual([1, 2]);
    expect(sim.rows().map((r) => r.id)).toEqual([1, 2]);
  });

  test("a rolled-back change leaves a permanent gap in the ids", async () => {
    const sim = await startSim();
    const lost = sim.change({ model: "sale.order", recordId: 1, op: "write", rollback: true });
    const kept = sim.change({ model: "sale.order", recordId: 2, op: "write" });
    await lost.committed;
    expect([lost.updateWebhookId, kept.updateWebhookId]).toEqual([1, 2]);
    expect(ids(await pull(sim, { last_event_id: 0, limit: 10 }))).toEqual([2]);
    expect(sim.rows().map((r) => r.id)).toEqual([2]);
  });
});

describe("rows other readers hide", () => {
  test("mark-processed is global: the rows vanish from every later pull", async () => {
    const sim = await startSim();
    fourRows(sim);
    const marked = await api(sim, "/mark-processed", { body: { event_ids: [1, 3, 99] } });
    expect(marked.status).toBe(200);
    // processed_count echoes the request, unknown ids included.
    expect(marked.json).toMatchObject({
      success: true,
      processed_count: 3,
      message: "3 event(s) marked as processed",
    });
    sim.markProcessed([4]);
    expect(ids(await pull(sim, { last_event_id: 0, limit: 10 }))).toEqual([2]);
    expect(sim.rows().map((r) => r.is_processed)).toEqual([true, false, true, true]);
  });

  test("mark-processed refuses an empty list (400) and ids Postgres cannot read (500)", async () => {
    const sim = await startSim();
    fourRows(sim);
    const empty = await api(sim, "/mark-processed", { body: { event_ids: [] } });
    expect([empty.status, empty.json.message]).toEqual([400, "event_ids must be a non-empty list"]);
    const bad = await api(sim, "/mark-processed", { body: { event_ids: ["abc"] } });
    expect([bad.status, bad.json.message]).toEqual([500, "Failed to mark events as processed"]);
  });

  test("archived rows are hidden from pull and from the health backlog", async () => {
    const sim = await startSim();
    fourRows(sim);
    sim.archive([2, 3]);
    expect(ids(await pull(sim, { last_event_id: 0, limit: 10 }))).toEqual([1, 4]);
    const health = await api(sim, "/health", { key: null });
    expect(OdooHealthResponse.parse(health.json)).toMatchObject({
      status: "healthy",
      version: "2.0.0",
      module: "auto_webhook",
      pending_events: 2,
    });
  });
});

describe("the module's error answers", () => {
  test("a missing or wrong X-API-Key is 401; /health needs none", async () => {
    const sim = await startSim();
    for (const key of [null, "", "wrong"]) {
      const answer = await api(sim, "/pull", { key });
      expect(answer.status).toBe(401);
      expect(OdooApiError.parse(answer.json).message).toBe("Authentication required");
    }
    expect((await api(sim, "/health", { key: null })).status).toBe(200);
  });

  test("a form Content-Type leaves the raw body empty: 400 Invalid JSON body", async () => {
    const sim = await startSim();
    const answer = await api(sim, "/pull", {
      body: "last_event_id=0",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      error: true,
      message: "Invalid JSON body: Expecting value: line 1 column 1 (char 0)",
    });
    expect(answer.json.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/);
  });

  test("parameters go through Python's int(): text is 400, null and non-objects are 500", async () => {
    const sim = await startSim();
    const text = await api(sim, "/pull", { body: { last_event_id: "abc" } });
    expect([text.status, text.json.message]).toEqual([
      400,
      "Invalid parameter: invalid literal for int() with base 10: 'abc'",
    ]);
    const none = await api(sim, "/pull", { body: { last_event_id: null } });
    expect([none.status, none.json.message]).toEqual([
      500,
      "Internal server error: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'",
    ]);
    const list = await api(sim, "/pull", { body: [1] });
    expect([list.status, list.json.message]).toEqual([
      500,
      "Internal server error: 'list' object has no attribute 'get'",
    ]);
  });

  test("hidden-error: the failure comes back as a 200 success with an error key", async () => {
    const sim = await startSim();
    fourRows(sim);
    sim.setFault("hidden-error");
    const answer = await api(sim, "/pull", { body: { last_event_id: 1, limit: 10 } });
    expect(answer.status).toBe(200);
    const body = OdooPullResponse.parse(answer.json);
    expect(body).toMatchObject({
      success: true,
      events: [],
      last_id: 1,
      has_more: false,
      count: 0,
    });
    expect(body.error).toEqual(expect.any(String));
    sim.setFault(null);
    expect((await pull(sim, { last_event_id: 1, limit: 10 })).count).toBe(3);
  });

  test("with a database configured, requests must name it (else Odoo's 404 page)", async () => {
    const sim = await startSim({ db: "prod" });
    const anonymous = await api(sim, "/health");
    expect(anonymous.status).toBe(404);
    expect(anonymous.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(anonymous.text).toContain("<title>404 Not Found</title>");
    expect((await api(sim, "/health?db=prod")).status).toBe(200);
    expect((await api(sim, "/health", { headers: { "X-Odoo-Database": "prod" } })).status).toBe(
      200,
    );
    expect((await api(sim, "/health?db=test")).status).toBe(404);
  });

  test("werkzeug routing: unknown paths 404, wrong methods 405, preflights 204", async () => {
    const sim = await startSim();
    expect((await api(sim, "/pull/")).status).toBe(404);
    const wrongMethod = await api(sim, "/mark-processed");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("OPTIONS, POST");
    const preflight = await api(sim, "/pull", { method: "OPTIONS", key: null });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-max-age")).toBe("86400");
  });
});
