import { describe, expect, test } from "vitest";
import { api, executeKw, rpc, startSim } from "./helpers.js";

const clock = () => new Date(Date.UTC(2025, 10, 29, 10, 15, 2));

describe("JSON-RPC search_read on update.webhook", () => {
  test("returns processed and archived rows too, in Odoo's RPC formats", async () => {
    const sim = await startSim({ now: clock });
    sim.change({ model: "sale.order", recordId: 42, op: "write" });
    sim.change({ model: "res.partner", recordId: 7, op: "create", userId: null });
    sim.change({ model: "sale.order", recordId: 43, op: "create" });
    sim.markProcessed([1]);
    sim.archive([3]);
    const answer = await executeKw(sim, "update.webhook", "search_read", [[["id", ">", 0]]], {
      fields: ["model", "timestamp", "user_id", "payload", "is_processed", "processed_at"],
      order: "id asc",
    });
    expect(answer.status).toBe(200);
    const rows: Record<string, unknown>[] = answer.json.result;
    expect(rows.map((r) => r["id"])).toEqual([1, 2, 3]);
    expect(rows[0]).toMatchObject({
      id: 1,
      model: "sale.order",
      timestamp: "2025-11-29 10:15:02",
      user_id: [2, "Mitchell Admin"],
      is_processed: true,
      processed_at: "2025-11-29 10:15:02",
    });
    expect(rows[0]?.["payload"]).toMatchObject({ id: 42, name: "S00042" });
    expect(rows[1]).toMatchObject({ user_id: false, processed_at: false });
    expect(Object.keys(rows[0] ?? {})).toEqual([
      "id",
      "model",
      "timestamp",
      "user_id",
      "payload",
      "is_processed",
      "processed_at",
    ]);
  });

  test("domains over id, model and is_processed; default order is id desc; limit and offset", async () => {
    const sim = await startSim();
    for (const model of ["sale.order", "res.partner", "sale.order", "sale.order", "res.partner"])
      sim.change({ model, recordId: 1, op: "write" });
    sim.markProcessed([3]);
    const search = async (domain: unknown[], kwargs: Record<string, unknown> = {}) => {
      const answer = await executeKw(sim, "update.webhook", "search_read", [domain], {
        fields: ["id"],
        ...kwargs,
      });
      return (answer.json.result as { id: number }[]).map((r) => r.id);
    };
    expect(await search([])).toEqual([5, 4, 3, 2, 1]);
    expect(
      await search(
        [
          ["id", ">=", 2],
          ["id", "<", 5],
        ],
        { order: "id asc" },
      ),
    ).toEqual([2, 3, 4]);
    expect(await search([["model", "in", ["sale.order"]]], { order: "id asc" })).toEqual([1, 3, 4]);
    expect(await search([["model", "=", "res.partner"]])).toEqual([5, 2]);
    expect(
      await search([
        ["is_processed", "=", false],
        ["id", "in", [1, 3, 4]],
      ]),
    ).toEqual([4, 1]);
    expect(await search(["|", ["id", "=", 1], ["id", "=", 5]], { order: "id asc" })).toEqual([
      1, 5,
    ]);
    expect(await search([], { order: "id asc", limit: 2, offset: 1 })).toEqual([2, 3]);
    expect(await search([["id", "<=", 2]])).toEqual([2, 1]);
  });

  test("an unknown field fails the call, as Odoo's read does", async () => {
    const sim = await startSim();
    const answer = await executeKw(sim, "update.webhook", "search_read", [[]], {
      fields: ["id", "status"],
    });
    expect(answer.status).toBe(200);
    expect(answer.json.error.data).toMatchObject({
      name: "builtins.ValueError",
      message: "Invalid field 'status' on model 'update.webhook'",
    });
  });
});

describe("JSON-RPC authentication", () => {
  test("a wrong key or uid is AccessDenied inside a 200", async () => {
    const sim = await startSim();
    for (const [uid, key] of [
      [2, "wrong"],
      [6, "sim-rpc-key"],
    ]) {
      const answer = await rpc(
        sim,
        "object",
        "execute_kw",
        ["odoo", uid, key, "update.webhook", "search_read", [[]], {}],
        9,
      );
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({
        jsonrpc: "2.0",
        id: 9,
        error: {
          code: 200,
          message: "Odoo Server Error",
          data: { name: "odoo.exceptions.AccessDenied", message: "Access Denied" },
        },
      });
    }
  });

  test("common.login answers the uid for the API key, false otherwise", async () => {
    const sim = await startSim();
    expect((await rpc(sim, "common", "login", ["odoo", "admin", "sim-rpc-key"])).json.result).toBe(
      2,
    );
    expect((await rpc(sim, "common", "login", ["odoo", "admin", "nope"])).json.result).toBe(false);
  });

  test("with a database configured, another name is an OperationalError", async () => {
    const sim = await startSim({ db: "prod" });
    const answer = await executeKw(sim, "update.webhook", "search_count", [[]]);
    expect(answer.json.error.data.name).toBe("psycopg2.OperationalError");
  });
});

describe("JSON-RPC on user.sync.state", () => {
  test("search_read by user_id and device_id", async () => {
    const sim = await startSim();
    await api(sim, "/sync-state", { body: { user_id: 6, device_id: "tablet-001" } });
    await api(sim, "/sync-state", { body: { user_id: 6, device_id: "phone-002" } });
    const answer = await executeKw(
      sim,
      "user.sync.state",
      "search_read",
      [
        [
          ["user_id", "=", 6],
          ["device_id", "=", "phone-002"],
        ],
      ],
      { fields: ["user_id", "device_id", "last_event_id", "last_sync_time"] },
    );
    expect(answer.json.result).toEqual([
      {
        id: 2,
        user_id: [6, "Marc Demo"],
        device_id: "phone-002",
        last_event_id: 0,
        last_sync_time: false,
      },
    ]);
  });
});
