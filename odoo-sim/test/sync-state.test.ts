import { OdooSyncStateResponse } from "@odoo-live/protocol";
import { describe, expect, test } from "vitest";
import type { OdooSim } from "../src/index.js";
import { api, startSim } from "./helpers.js";

const device = { user_id: 6, device_id: "tablet-001" };

function update(sim: OdooSim, lastEventId: number, eventsSynced = 1) {
  return api(sim, "/sync-state/update", {
    body: { ...device, last_event_id: lastEventId, events_synced: eventsSynced },
  });
}

describe("sync-state get_or_create", () => {
  test("POST creates the state at cursor 0; GET finds the same one", async () => {
    const sim = await startSim();
    const created = await api(sim, "/sync-state", { body: device });
    expect(created.status).toBe(200);
    const state = OdooSyncStateResponse.parse(created.json).sync_state;
    expect(state).toEqual({
      id: 1,
      user_id: 6,
      device_id: "tablet-001",
      app_type: "mobile_app",
      last_event_id: 0,
      last_sync_time: null,
      sync_count: 0,
      is_active: true,
    });
    const found = await api(sim, "/sync-state?user_id=6&device_id=tablet-001");
    expect(found.json.sync_state).toEqual(state);
    expect(sim.syncState(6, "tablet-001")).toMatchObject({ id: 1, last_event_id: 0 });
  });

  test("a different app_type is written; device_info and app_version are echoed when given", async () => {
    const sim = await startSim();
    await api(sim, "/sync-state", { body: device });
    const again = await api(sim, "/sync-state", {
      body: { ...device, app_type: "sales_app", device_info: "Android 14", app_version: "1.0.0" },
    });
    expect(again.json.sync_state).toMatchObject({
      id: 1,
      app_type: "sales_app",
      device_info: "Android 14",
      app_version: "1.0.0",
    });
    expect(sim.syncState(6, "tablet-001")?.app_type).toBe("sales_app");
  });

  test("Odoo's failures: required 400, bad app_type 400, short device and unknown user 500", async () => {
    const sim = await startSim({ users: [2, 6] });
    const cases: [Record<string, unknown>, number, string][] = [
      [{ user_id: 6 }, 400, "user_id and device_id are required"],
      [{ user_id: 0, device_id: "tablet" }, 400, "user_id and device_id are required"],
      [
        { ...device, app_type: "tv_app" },
        400,
        "Invalid parameter: Wrong value for user.sync.state.app_type: 'tv_app'",
      ],
      [
        { user_id: 6, device_id: " ab " },
        500,
        "Internal server error: Device ID must be at least 3 characters long",
      ],
    ];
    for (const [body, status, message] of cases) {
      const answer = await api(sim, "/sync-state", { body });
      expect([answer.status, answer.json.message]).toEqual([status, message]);
    }
    const unknownUser = await api(sim, "/sync-state", {
      body: { user_id: 5000, device_id: "abc" },
    });
    expect(unknownUser.status).toBe(500);
    expect(unknownUser.json.message).toMatch(
      /^Internal server error: insert or update .* foreign key/,
    );
  });
});

describe("sync-state/update", () => {
  test("moves the cursor, counts syncs, and may go backwards; the history shows every write", async () => {
    const sim = await startSim();
    await api(sim, "/sync-state", { body: device });
    const forward = await update(sim, 50, 50);
    expect(forward.status).toBe(200);
    expect(forward.json.sync_state).toMatchObject({
      last_event_id: 50,
      sync_count: 1,
      total_events_synced: 50,
    });
    expect(forward.json.sync_state.last_sync_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const backwards = await update(sim, 10, 5);
    expect(backwards.status).toBe(200);
    expect(backwards.json.sync_state).toMatchObject({
      last_event_id: 10,
      sync_count: 2,
      total_events_synced: 55,
    });
    expect(sim.syncStateHistory(6, "tablet-001")).toEqual([0, 50, 10]);
  });

  test("404 before the state exists; 400 for a negative cursor", async () => {
    const sim = await startSim();
    const missing = await update(sim, 5);
    expect([missing.status, missing.json.message]).toEqual([404, "Sync state not found"]);
    await api(sim, "/sync-state", { body: device });
    const negative = await update(sim, -1);
    expect([negative.status, negative.json.message]).toEqual([
      400,
      "last_event_id must be non-negative",
    ]);
    expect(sim.syncStateHistory(6, "tablet-001")).toEqual([0]);
  });
});

describe("sync-state/stats", () => {
  test("sums the user's devices; a mix of synced and never-synced devices is a 500", async () => {
    const sim = await startSim({ now: () => new Date(Date.UTC(2025, 10, 29, 10, 15, 2)) });
    await api(sim, "/sync-state", { body: device });
    await update(sim, 40, 40);
    const stats = await api(sim, "/sync-state/stats?user_id=6");
    expect(stats.json.stats).toMatchObject({
      user_id: 6,
      total_devices: 1,
      active_devices: 1,
      total_syncs: 1,
      total_events_synced: 40,
      // A raw datetime through default=str: a space, unlike everywhere else.
      last_sync_time: "2025-11-29 10:15:02",
      by_app_type: { mobile_app: 1, sales_app: 0 },
    });
    expect(stats.json.stats.devices[0]).toMatchObject({ last_sync_time: "2025-11-29T10:15:02" });
    await api(sim, "/sync-state", { body: { ...device, device_id: "phone-002" } });
    const mixed = await api(sim, "/sync-state/stats?user_id=6");
    expect(mixed.status).toBe(500);
    expect((await api(sim, "/sync-state/stats")).json.message).toBe("user_id is required");
  });
});
