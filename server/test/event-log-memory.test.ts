import { describe, expect, test } from "vitest";
import type { EventDraft } from "@odoo-live/protocol";
import { MemoryEventLog } from "../src/log/event-log-memory.js";
import { eventLogContract } from "./contracts/event-log.contract.js";

eventLogContract("MemoryEventLog", async (options) => new MemoryEventLog(options));

describe("MemoryEventLog specifics", () => {
  const draft: EventDraft = {
    id: "0".repeat(32),
    tenant: "t",
    model: "sale.order",
    recordId: 1,
    op: "create",
    at: "2025-11-29T10:15:02.000Z",
    version: null,
    priority: null,
    category: null,
    actorUid: null,
    changedFields: [],
    record: {},
    origin: {},
  };
  const retention = { maxCount: 100, maxAgeMs: 60_000 };

  test("a new log (a restarted hub) starts a new epoch, so old cursors are epoch_changed", async () => {
    const before = new MemoryEventLog({ retention, dedupeMs: 1000 });
    await before.append("t", { draft, uids: [], dedupe: { rows: ["id:x"] } });
    const old = await before.head("t");
    const after = new MemoryEventLog({ retention, dedupeMs: 1000 });
    const result = await after.readSince("t", old, {
      uid: 1,
      models: new Set(["sale.order"]),
      allowed: "*",
    });
    expect(result).toMatchObject({ ok: false, reason: "epoch_changed", head: { seq: 0 } });
    expect(result.head.epoch).not.toBe(old.epoch);
  });

  test("a throwing listener is reported through onListenerError", async () => {
    const errors: unknown[] = [];
    const log = new MemoryEventLog({
      retention,
      dedupeMs: 1000,
      onListenerError: (e) => errors.push(e),
    });
    log.subscribe("t", () => {
      throw new Error("listener bug");
    });
    const result = await log.append("t", {
      draft,
      uids: [],
      dedupe: { rows: ["id:x"] },
    });
    expect(result.status).toBe("appended");
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe("listener bug");
  });

  test("close() drops live listeners", async () => {
    const log = new MemoryEventLog({ retention, dedupeMs: 1000 });
    const seen: number[] = [];
    log.subscribe("t", (l) => void seen.push(l.event.seq));
    await log.close();
    await log.append("t", { draft, uids: [], dedupe: { rows: ["id:x"] } });
    expect(seen).toEqual([]);
  });
});
