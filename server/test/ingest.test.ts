import { normalizeEnvelope, normalizePullRow } from "@odoo-live/protocol";
import { asEnvelope, asPullRow, saleOrderWrite } from "@odoo-live/protocol/fixtures";
import { describe, expect, test } from "vitest";
import { TooManyUsers } from "../src/routing/routes.js";
import { PUSH_TOKEN, startTestHub } from "../../test/helpers/hub.js";
import { captureLogger } from "../../test/helpers/log-capture.js";
import { metricSum } from "../../test/helpers/metrics.js";

/**
 * A change whose rule tracks some fields only: no `write_date` in its payload, so its identity
 * (and a device's dedupe) goes by Odoo's stamp, and the hub's window by content is what merges
 * its push and pull copies.
 */
const { write_date: _written, ...tracked } = saleOrderWrite.payload;
const stampedAt = (timestamp: string) => ({ ...saleOrderWrite, payload: tracked, timestamp });

describe("the one ingest path", () => {
  test("push and pull of one change stamped a second apart are one event", async () => {
    const hub = await startTestHub();
    const pushed = normalizeEnvelope("default", asEnvelope(stampedAt("2025-11-29T10:15:02"), 5531));
    const pulled = normalizePullRow("default", asPullRow(stampedAt("2025-11-29T10:15:03"), 1012));
    expect(pulled.id).not.toBe(pushed.id);
    expect((await hub.ingestor.ingest(pushed, "push")).status).toBe("appended");
    expect(await hub.ingestor.ingest(pulled, "pull")).toMatchObject({ status: "duplicate" });
    expect((await hub.log.head("default")).seq).toBe(1);
  });

  test("the same payload stamped 3 s or more later is a new event", async () => {
    const hub = await startTestHub();
    const first = normalizeEnvelope("default", asEnvelope(stampedAt("2025-11-29T10:15:02"), 1));
    const again = normalizeEnvelope("default", asEnvelope(stampedAt("2025-11-29T10:15:05"), 2));
    expect((await hub.ingestor.ingest(first, "push")).status).toBe("appended");
    expect((await hub.ingestor.ingest(again, "push")).status).toBe("appended");
  });

  test("a page ingested at once is logged as its rows one by one, and counted by result", async () => {
    const hub = await startTestHub();
    const row = (id: number, timestamp: string) =>
      normalizePullRow("default", asPullRow(stampedAt(timestamp), id));
    const pushed = normalizeEnvelope("default", asEnvelope(stampedAt("2025-11-29T10:15:02"), 7));
    expect((await hub.ingestor.ingest(pushed, "push")).status).toBe("appended");
    const results = await hub.ingestor.ingestMany(
      "default",
      [
        // The pull copy of the push, a new change, and that change's row read again.
        { draft: row(1012, "2025-11-29T10:15:03"), coverage: 1012 },
        { draft: row(1013, "2025-11-29T10:15:09"), coverage: 1013 },
        { draft: row(1013, "2025-11-29T10:15:09") },
      ],
      "pull",
    );
    expect(results.map((r) => r.status)).toEqual(["duplicate", "appended", "duplicate"]);
    expect(await hub.log.head("default")).toMatchObject({ seq: 2, ledger: 1013 });
    const counted = (result: string) =>
      metricSum(hub, "odoo_live_events_ingested_total", { source: "pull", result });
    expect([await counted("appended"), await counted("duplicate")]).toEqual([1, 2]);
    await expect(
      hub.ingestor.ingestMany("default", [{ draft: { ...pushed, tenant: "other" } }], "pull"),
    ).rejects.toThrow(/other/);
  });

  test("a pull row read twice is one event", async () => {
    const hub = await startTestHub();
    const row = normalizePullRow("default", asPullRow(saleOrderWrite, 1012));
    expect((await hub.ingestor.ingest(row, "pull")).status).toBe("appended");
    expect(await hub.ingestor.ingest(row, "pull")).toMatchObject({ status: "duplicate" });
  });
});

describe("the routed-users bound", () => {
  const naming = (users: number) => ({
    ...saleOrderWrite,
    payload: { ...saleOrderWrite.payload, user_id: Array.from({ length: users }, (_, i) => i + 1) },
  });

  test("a push naming too many users is refused; a pulled row is logged, routed to nobody", async () => {
    const { logger, lines } = captureLogger("info");
    const hub = await startTestHub({ HUB_MAX_ROUTED_USERS: "3" }, { logger });
    const pushed = normalizeEnvelope("default", asEnvelope(naming(4), 1));
    await expect(hub.ingestor.ingest(pushed, "push")).rejects.toThrow(TooManyUsers);
    const pulled = normalizePullRow("default", asPullRow(naming(4), 1012));
    expect((await hub.ingestor.ingest(pulled, "pull")).status).toBe("appended");
    const { epoch } = await hub.log.head("default");
    const routed = await hub.log.readSince(
      "default",
      { epoch, seq: 0 },
      {
        uid: 1,
        models: new Set(),
        allowed: "*",
      },
    );
    expect(routed).toMatchObject({ ok: true, events: [] });
    expect(
      lines().find((l) => l["msg"] === "pulled change routed to nobody: it names too many users"),
    ).toMatchObject({ tenant: "default", model: "sale.order", recordId: 42 });
  });
});

describe("the push path", () => {
  test("tolerates a trailing slash in Odoo's endpoint_url", async () => {
    const hub = await startTestHub();
    const response = await fetch(`${hub.url}/webhooks/odoo/`, {
      method: "POST",
      headers: { Authorization: `Bearer ${PUSH_TOKEN}` },
      body: JSON.stringify(asEnvelope(saleOrderWrite, 1)),
    });
    expect(response.status).toBe(200);
  });
});
