import {
  EventDraft,
  OdooPullRow,
  canonicalJson,
  digest,
  eventIdentity,
  normalizeEnvelope,
  normalizePullRow,
  normalizeRawPush,
  odooTimeToIso,
  parseOdooPush,
  recordVersion,
  type OdooPayload,
} from "@odoo-live/protocol";
import {
  allChanges,
  asEnvelope,
  asPullRow,
  asRawPush,
  partnerWrite,
  saleOrderCreate,
  saleOrderUnlink,
  saleOrderWrite,
  type FixtureChange,
} from "@odoo-live/protocol/fixtures";
import { describe, expect, test } from "vitest";

/** What travels over HTTP: JSON text, parsed again on the other side. */
function wire<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/** Each fixture through the three ways Odoo delivers it, each parsed as the hub would. */
function arrivals(change: FixtureChange, webhookEventId: number, updateWebhookId: number) {
  const envelope = parseOdooPush(wire(asEnvelope(change, webhookEventId)));
  const raw = parseOdooPush(wire(asRawPush(change, webhookEventId)));
  if (!envelope.ok || envelope.push.kind !== "envelope") throw new Error("envelope rejected");
  if (!raw.ok || raw.push.kind !== "raw") throw new Error("raw push rejected");
  const row = OdooPullRow.parse(wire(asPullRow(change, updateWebhookId)));
  return {
    envelope: normalizeEnvelope("default", envelope.push.body),
    raw: normalizeRawPush("default", raw.push.body),
    pull: normalizePullRow("default", row),
  };
}

function withoutMeta(payload: OdooPayload): OdooPayload {
  const { _metadata: _m, _changed_fields: _c, _webhook_metadata: _w, ...record } = payload;
  return record;
}

/** Concrete expectations per fixture, written out rather than derived from the code under test. */
const expected = new Map<FixtureChange, { at: string; changedFields: string[] }>([
  [saleOrderCreate, { at: "2025-11-29T10:14:55.000Z", changedFields: [] }],
  [saleOrderWrite, { at: "2025-11-29T10:15:02.000Z", changedFields: ["state"] }],
  [partnerWrite, { at: "2025-11-29T11:02:40.000Z", changedFields: ["phone"] }],
  [saleOrderUnlink, { at: "2025-11-29T12:30:00.000Z", changedFields: [] }],
]);

describe("one change, three arrivals", () => {
  test("the fixtures cover every operation and the pull row really reorders keys", () => {
    expect(new Set(allChanges.map((c) => c.op))).toEqual(new Set(["create", "write", "unlink"]));
    expect(allChanges).toHaveLength(expected.size);
    for (const change of allChanges) {
      const row = asPullRow(change, 1);
      expect(Object.keys(row.payload ?? {})).not.toEqual(Object.keys(change.payload));
      expect(row.payload).toEqual(change.payload);
    }
  });

  test.each(
    allChanges.map(
      (change, i) => [`${change.model} ${change.op} ${change.recordId}`, change, i] as const,
    ),
  )("%s normalizes identically from envelope, raw push and pull row", (_name, change, i) => {
    const { envelope, raw, pull } = arrivals(change, 5530 + i, 1010 + i);
    const want = expected.get(change);
    if (want === undefined) throw new Error("fixture without expectations");

    expect(envelope.id).toMatch(/^[0-9a-f]{32}$/);
    expect(raw.id).toBe(envelope.id);
    expect(pull.id).toBe(envelope.id);

    for (const draft of [envelope, raw, pull]) {
      expect(EventDraft.parse(draft)).toEqual(draft);
      expect(draft.tenant).toBe("default");
      expect(draft.model).toBe(change.model);
      expect(draft.recordId).toBe(change.recordId);
      expect(draft.op).toBe(change.op);
      expect(draft.at).toBe(want.at);
      expect(draft.changedFields).toEqual(want.changedFields);
      expect(draft.record).toEqual(withoutMeta(change.payload));
      expect(draft.record).not.toHaveProperty("_metadata");
      expect(draft.record).not.toHaveProperty("_changed_fields");
      expect(draft.record).not.toHaveProperty("_webhook_metadata");
    }

    expect(envelope.origin).toEqual({ webhookEventId: 5530 + i });
    expect(raw.origin).toEqual({ webhookEventId: 5530 + i });
    expect(pull.origin).toEqual({ updateWebhookId: 1010 + i });
    expect([envelope.priority, raw.priority, pull.priority]).toEqual([
      change.priority,
      null,
      change.priority,
    ]);
    expect([envelope.category, raw.category, pull.category]).toEqual([
      change.category,
      null,
      change.category,
    ]);
    expect([envelope.actorUid, raw.actorUid, pull.actorUid]).toEqual([null, null, 2]);
  });

  test("record keeps false values, many2one {id, name} and x2many lists as sent", () => {
    const { raw, pull } = arrivals(saleOrderWrite, 5531, 1012);
    for (const draft of [raw, pull]) {
      expect(draft.record["note"]).toBe(false);
      expect(draft.record["client_order_ref"]).toBe(false);
      expect(draft.record["partner_id"]).toEqual({ id: 7, name: "Azure Interior" });
      expect(draft.record["user_id"]).toEqual({ id: 2, name: "Mitchell Admin" });
      expect(draft.record["order_line"]).toEqual([{ id: 101, name: "[FURN_8888] Office Lamp" }]);
      expect(draft.record["state"]).toBe("sale");
      expect(draft.record["amount_total"]).toBe(1234.5);
    }
    const partner = arrivals(partnerWrite, 5540, 1020).envelope.record;
    expect(partner["mobile"]).toBe(false);
    expect(partner["parent_id"]).toEqual({ id: false, name: "" });
    expect(partner["image_1920"]).toBe(true);
  });

  test("the same push delivered twice (instant then cron, same webhook.event) has one id", () => {
    const instant = normalizeRawPush("default", asRawPush(saleOrderWrite, 5531));
    const cron = normalizeEnvelope("default", asEnvelope(saleOrderWrite, 5531));
    const retried = normalizeEnvelope("default", asEnvelope(saleOrderWrite, 9999));
    expect(cron.id).toBe(instant.id);
    expect(retried.id).toBe(instant.id);
  });

  test("a create and a later write of the same record get different ids", () => {
    const create = arrivals(saleOrderCreate, 5530, 1011);
    const write = arrivals(saleOrderWrite, 5531, 1012);
    expect(create.envelope.recordId).toBe(write.envelope.recordId);
    expect(create.envelope.id).not.toBe(write.envelope.id);
    expect(create.pull.id).not.toBe(write.pull.id);
  });

  test("two writes of the same record that differ only in write_date get different ids", () => {
    const later: FixtureChange = {
      ...saleOrderWrite,
      payload: { ...saleOrderWrite.payload, write_date: "2025-11-29T10:16:00" },
    };
    expect(normalizeEnvelope("default", asEnvelope(later, 1)).id).not.toBe(
      normalizeEnvelope("default", asEnvelope(saleOrderWrite, 1)).id,
    );
  });

  test("the id does not depend on the tenant label or the delivery ids", () => {
    const a = normalizeEnvelope("default", asEnvelope(saleOrderWrite, 1));
    const b = normalizeEnvelope("other", asEnvelope(saleOrderWrite, 2));
    expect(b.id).toBe(a.id);
    expect(a.id).toBe(
      eventIdentity({
        model: "sale.order",
        recordId: 42,
        op: "write",
        payload: saleOrderWrite.payload,
        timestamp: "2025-11-29T10:15:02",
      }),
    );
    // The payload has Odoo's write_date: the stamp is not part of the identity.
    expect(a.id).toBe(digest(["sale.order", 42, "write", saleOrderWrite.payload]));
  });

  test("the push and pull copies of a change stamped either side of a second share the id", () => {
    // webhook.event's stamp and update.webhook's are set moments apart, in whole seconds.
    const pushed = normalizeEnvelope("default", {
      ...asEnvelope(saleOrderWrite, 1),
      timestamp: "2025-11-29T10:15:02",
    });
    const pulled = normalizePullRow("default", {
      ...asPullRow(saleOrderWrite, 9),
      timestamp: "2025-11-29T10:15:03",
    });
    expect(pulled.at).not.toBe(pushed.at);
    expect(pulled.id).toBe(pushed.id);
  });

  test("without write_date (a rule's tracked_fields), the same payload stamped later is another change", () => {
    const { write_date: _written, ...tracked } = saleOrderWrite.payload;
    const change = { ...saleOrderWrite, payload: tracked };
    const a = normalizeEnvelope("default", asEnvelope(change, 1));
    const later = normalizeEnvelope("default", {
      ...asEnvelope(change, 1),
      timestamp: "2025-11-29T11:20:00",
    });
    expect(later.id).not.toBe(a.id);
    expect(a.id).toBe(digest(["sale.order", 42, "write", tracked, "2025-11-29T10:15:02.000Z"]));
  });

  test("an envelope without data (empty payload) gives an empty record", () => {
    const empty: FixtureChange = { ...saleOrderUnlink, payload: {} };
    const body = asEnvelope(empty, 77);
    expect(body).not.toHaveProperty("data");
    const draft = normalizeEnvelope("default", body);
    expect(draft.record).toEqual({});
    expect(draft.changedFields).toEqual([]);
    const row = normalizePullRow("default", { ...asPullRow(empty, 78), payload: null });
    expect(row.id).toBe(draft.id);
  });

  test("config-path writes take changed_fields from the envelope when data lacks them", () => {
    const body = asEnvelope(saleOrderCreate, 80);
    const draft = normalizeEnvelope("default", {
      ...body,
      event: "write",
      changed_fields: ["name", "note"],
    });
    expect(draft.changedFields).toEqual(["name", "note"]);
  });
});

describe("odooTimeToIso", () => {
  test.each([
    ["2025-11-29T10:15:02", "2025-11-29T10:15:02.000Z"],
    ["2025-11-29 10:15:02", "2025-11-29T10:15:02.000Z"],
    ["2025-11-29T10:16:03.512904", "2025-11-29T10:16:03.512Z"],
    ["2025-11-29 10:16:03.512904", "2025-11-29T10:16:03.512Z"],
    ["2025-11-29T10:16:03.5", "2025-11-29T10:16:03.500Z"],
    ["2025-11-29T10:15:02Z", "2025-11-29T10:15:02.000Z"],
    ["2025-11-29T12:15:02+02:00", "2025-11-29T10:15:02.000Z"],
    ["2025-11-29T00:15:02-01:30", "2025-11-29T01:45:02.000Z"],
    ["2024-02-29T23:59:59", "2024-02-29T23:59:59.000Z"],
    ["2000-02-29T00:00:00", "2000-02-29T00:00:00.000Z"],
    ["2025-12-31T23:59:59.999999Z", "2025-12-31T23:59:59.999Z"],
    ["2025-12-31T23:30:00-01:00", "2026-01-01T00:30:00.000Z"],
  ])("%s -> %s", (input, output) => {
    expect(odooTimeToIso(input)).toBe(output);
  });

  test.each([
    "yesterday",
    "2025-11-29",
    "2025-11-29T10:15",
    "29/11/2025 10:15:02",
    "2025-13-01T10:15:02",
    "2025-02-30T10:15:02",
    "2025-11-29T24:00:00",
    "2025-11-29T10:60:00",
    "2025-11-29T10:15:60",
    "2023-02-29T10:15:02",
    "1900-02-29T10:15:02",
    "2025-04-31T10:15:02",
    "2025-00-10T10:15:02",
    "2025-01-00T10:15:02",
    "0099-01-01T10:15:02",
    "2025-11-29T10:15:02+24:00",
  ])("rejects %s", (input) => {
    expect(() => odooTimeToIso(input)).toThrow(/not an Odoo timestamp/);
  });
});

describe("canonicalJson", () => {
  test("object key order does not matter, at any depth", () => {
    const a = { b: 1, a: { y: [1, { q: true, p: null }], x: "s" } };
    const b = { a: { x: "s", y: [1, { p: null, q: true }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"x":"s","y":[1,{"p":null,"q":true}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(digest(b)).toBe(digest(a));
    expect(digest(a)).toMatch(/^[0-9a-f]{32}$/);
  });

  test("array order, values and types do matter", () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson({ a: false })).not.toBe(canonicalJson({ a: null }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: "1" }));
    expect(digest({ a: 1 })).not.toBe(digest({ a: 2 }));
  });

  test("undefined members are dropped like JSON.stringify does", () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson('é"')).toBe(JSON.stringify('é"'));
  });

  test("a payload and its jsonb-reordered copy have the same canonical form", () => {
    const row = asPullRow(partnerWrite, 1);
    expect(canonicalJson(row.payload)).toBe(canonicalJson(partnerWrite.payload));
  });
});

describe("recordVersion", () => {
  test("Odoo's write_date as fixed-width ISO UTC, microseconds kept", () => {
    expect(recordVersion("2026-11-29T21:48:54.212265")).toBe("2026-11-29T21:48:54.212265Z");
    expect(recordVersion("2026-11-29 21:48:54")).toBe("2026-11-29T21:48:54.000000Z");
    expect(recordVersion("2026-11-29T21:48:54.5")).toBe("2026-11-29T21:48:54.500000Z");
    expect(recordVersion("2026-11-29T23:48:54.1+02:00")).toBe("2026-11-29T21:48:54.100000Z");
    for (const bad of [false, null, 3, "", "2026-02-30T10:00:00", "yesterday"])
      expect(recordVersion(bad)).toBeNull();
  });

  test("versions compare as strings in time order", () => {
    const times = ["2026-11-29T21:48:54", "2026-11-29T21:48:54.000001", "2026-11-29T21:48:54.5"];
    const versions = times.map(recordVersion) as string[];
    expect([...versions].sort()).toEqual(versions);
  });
});
