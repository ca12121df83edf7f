import { normalizeEnvelope, normalizePullRow } from "@odoo-live/protocol";
import { asEnvelope, asPullRow, saleOrderWrite } from "@odoo-live/protocol/fixtures";
import { describe, expect, test } from "vitest";
import { PUSH_TOKEN, startTestHub } from "../../test/helpers/hub.js";

const stampedAt = (timestamp: string) => ({ ...saleOrderWrite, timestamp });

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

  test("a pull row read twice is one event", async () => {
    const hub = await startTestHub();
    const row = normalizePullRow("default", asPullRow(saleOrderWrite, 1012));
    expect((await hub.ingestor.ingest(row, "pull")).status).toBe("appended");
    expect(await hub.ingestor.ingest(row, "pull")).toMatchObject({ status: "duplicate" });
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
