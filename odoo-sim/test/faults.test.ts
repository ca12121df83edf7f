import { describe, expect, test } from "vitest";
import { api, executeKw, startSim } from "./helpers.js";

describe("outage modes", () => {
  test("down: every route answers 503 with an HTML page, until the fault is cleared", async () => {
    const sim = await startSim();
    sim.setFault("down");
    for (const answer of [
      await api(sim, "/pull", { body: { last_event_id: 0 } }),
      await api(sim, "/health", { key: null }),
      await executeKw(sim, "update.webhook", "search_count", [[]]),
    ]) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(answer.text).toContain("<title>503 Service Unavailable</title>");
    }
    sim.setFault(null);
    expect((await api(sim, "/health", { key: null })).status).toBe(200);
  });

  test("rpc-error: 200 with a JSON-RPC error body, on REST routes and /jsonrpc alike", async () => {
    const sim = await startSim();
    sim.setFault("rpc-error");
    const rest = await api(sim, "/pull", { body: { last_event_id: 0 } });
    expect(rest.status).toBe(200);
    expect(rest.json).toMatchObject({
      jsonrpc: "2.0",
      id: null,
      error: {
        code: 200,
        message: "Odoo Server Error",
        data: { name: "psycopg2.OperationalError" },
      },
    });
    const jsonRpc = await executeKw(sim, "update.webhook", "search_count", [[]]);
    expect(jsonRpc.json).toMatchObject({ id: 1, error: { code: 200 } });
  });

  test("refuse: the connection closes without an answer", async () => {
    const sim = await startSim();
    sim.setFault("refuse");
    await expect(api(sim, "/health", { key: null })).rejects.toThrow();
    sim.setFault(null);
    expect((await api(sim, "/health", { key: null })).status).toBe(200);
    expect(sim.requests().map((r) => r.path)).toEqual([
      "/api/webhooks/health",
      "/api/webhooks/health",
    ]);
  });

  test("slow: every answer is delayed by slowMs", async () => {
    const sim = await startSim();
    sim.setFault({ slowMs: 150 });
    const started = Date.now();
    const answer = await api(sim, "/health", { key: null });
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });
});
