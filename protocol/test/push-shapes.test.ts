import {
  OdooEnvelope,
  OdooTimestamp,
  isConfigTest,
  parseOdooPush,
  type PushParseResult,
} from "@odoo-live/protocol";
import {
  asEnvelope,
  asRawPush,
  configTestBody,
  saleOrderCreate,
  saleOrderWrite,
  subscriberTestBody,
} from "@odoo-live/protocol/fixtures";
import { describe, expect, test } from "vitest";

function wire<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function rejected(result: PushParseResult) {
  if (result.ok) throw new Error(`expected a rejection, got kind ${result.push.kind}`);
  expect(result.message.length).toBeGreaterThan(0);
  expect(result.issues.length).toBeGreaterThan(0);
  for (const issue of result.issues) {
    expect(issue.path.length).toBeGreaterThan(0);
    expect(issue.message.length).toBeGreaterThan(0);
  }
  return result;
}

describe("parseOdooPush classifies the module's body shapes", () => {
  test("cron envelope", () => {
    const result = parseOdooPush(wire(asEnvelope(saleOrderWrite, 5531)));
    expect(result.ok).toBe(true);
    if (!result.ok || result.push.kind !== "envelope") throw new Error("not an envelope");
    expect(result.push.body.event_id).toBe(5531);
    expect(result.push.body.model).toBe("sale.order");
    expect(result.push.body.record_id).toBe(42);
    expect(result.push.body.event).toBe("write");
    expect(result.push.body.data?.["state"]).toBe("sale");
  });

  test("cron envelope with top-level changed_fields (config path)", () => {
    const body = { ...asEnvelope(saleOrderWrite, 5532), changed_fields: ["state"] };
    const result = parseOdooPush(wire(body));
    if (!result.ok || result.push.kind !== "envelope") throw new Error("not an envelope");
    expect(result.push.body.changed_fields).toEqual(["state"]);
  });

  test("instant raw push keeps every record key next to _webhook_metadata", () => {
    const result = parseOdooPush(wire(asRawPush(saleOrderCreate, 5530)));
    if (!result.ok || result.push.kind !== "raw") throw new Error("not a raw push");
    const body = result.push.body;
    expect(body._webhook_metadata).toEqual({
      event_id: 5530,
      event_type: "create",
      model: "sale.order",
      record_id: 42,
      timestamp: "2025-11-29T10:14:55",
    });
    expect(body["name"]).toBe("S00042");
    expect(body["note"]).toBe(false);
    expect(body["partner_id"]).toEqual({ id: 7, name: "Azure Interior" });
    expect(body["_metadata"]).toMatchObject({ rule_name: "Sale Orders - Create" });
  });

  test("a raw push whose record has fields named like envelope keys is still raw", () => {
    const body = { ...asRawPush(saleOrderCreate, 5530), event: "x", model: "y", event_id: false };
    const result = parseOdooPush(wire(body));
    expect(result.ok && result.push.kind).toBe("raw");
  });

  test("subscriber test connection", () => {
    const result = parseOdooPush(wire(subscriberTestBody));
    if (!result.ok || result.push.kind !== "subscriber_test") throw new Error("not a test body");
    expect(result.push.body.subscriber).toBe("odoo-live hub");
  });

  test("config test webhook (record_id -1, data._test_event)", () => {
    const result = parseOdooPush(wire(configTestBody));
    if (!result.ok || result.push.kind !== "config_test") throw new Error("not a config test");
    expect(result.push.body.record_id).toBe(-1);
    expect(isConfigTest(result.push.body)).toBe(true);
    expect(isConfigTest(OdooEnvelope.parse(asEnvelope(saleOrderCreate, 1)))).toBe(false);
  });
});

describe("parseOdooPush rejects bad bodies, naming the bad field", () => {
  test.each([
    ["null", null],
    ["an array", [asEnvelope(saleOrderWrite, 1)]],
    ["a string", "event"],
    ["a number", 42],
  ])("non-object body: %s", (_name, body) => {
    const result = rejected(parseOdooPush(body));
    expect(result.message).toMatch(/JSON object/);
    expect(result.issues).toEqual([{ path: "(body)", message: "expected an object" }]);
  });

  test.each([
    ["record_id", "42"],
    ["event", "update"],
    ["timestamp", "yesterday"],
    ["timestamp", "2025-13-45T10:15:02"],
    ["event_id", -3],
    ["model", "Sale Order"],
    ["priority", "urgent"],
  ])("envelope with a bad %s (%j)", (field, value) => {
    const body = { ...asEnvelope(saleOrderWrite, 5531), [field]: value };
    const result = rejected(parseOdooPush(wire(body)));
    expect(result.issues.map((i) => i.path)).toEqual([field]);
    expect(result.message).toContain(field);
    expect(result.message).toMatch(/^invalid envelope body: /);
  });

  test.each([
    ["an array", [1, 2]],
    ["a string", "state=sale"],
    ["null", null],
  ])("envelope whose data is %s", (_name, data) => {
    const body = { ...asEnvelope(saleOrderWrite, 5531), data };
    const result = rejected(parseOdooPush(wire(body)));
    expect(result.issues).toEqual([{ path: "data", message: "must be a JSON object" }]);
    expect(result.message).toContain("data");
  });

  test("envelope with a missing model", () => {
    const { model: _model, ...body } = asEnvelope(saleOrderWrite, 5531);
    const result = rejected(parseOdooPush(wire(body)));
    expect(result.issues.map((i) => i.path)).toEqual(["model"]);
    expect(result.message).toContain("model");
  });

  test("envelope missing several fields names each of them", () => {
    const result = rejected(parseOdooPush({ event: "write" }));
    expect(result.issues.map((i) => i.path).sort()).toEqual(
      ["event_id", "model", "record_id", "timestamp"].sort(),
    );
  });

  test("envelope with record_id 0 (the module's own invalid id)", () => {
    const body = { ...asEnvelope(saleOrderWrite, 5531), record_id: 0 };
    const result = rejected(parseOdooPush(body));
    expect(result.issues.map((i) => i.path)).toEqual(["record_id"]);
  });

  test.each([
    ["record_id", "42"],
    ["event_type", "update"],
    ["timestamp", "yesterday"],
    ["event_id", "5530"],
  ])("raw push with a bad _webhook_metadata.%s", (field, value) => {
    const good = asRawPush(saleOrderCreate, 5530);
    const body = { ...good, _webhook_metadata: { ...good._webhook_metadata, [field]: value } };
    const result = rejected(parseOdooPush(wire(body)));
    expect(result.issues.map((i) => i.path)).toEqual([`_webhook_metadata.${field}`]);
    expect(result.message).toContain(`_webhook_metadata.${field}`);
    expect(result.message).toMatch(/^invalid raw body: /);
  });

  test("raw push whose _webhook_metadata is not an object", () => {
    const result = rejected(parseOdooPush({ id: 1, _webhook_metadata: "x" }));
    expect(result.issues.map((i) => i.path)).toEqual(["_webhook_metadata"]);
  });

  test.each([
    ["an empty object", {}],
    ["an unknown object", { hello: "world", id: 3 }],
    ["a test body with test: false", { ...subscriberTestBody, test: false }],
    ["the unused batch shape", { batch: true, timestamp: "2025-11-29T10:00:00", events: [] }],
  ])("unknown shape: %s", (_name, body) => {
    const result = rejected(parseOdooPush(body));
    expect(result.message).toMatch(/not an Odoo webhook/);
    expect(result.message).toContain("_webhook_metadata");
    expect(result.issues).toEqual([{ path: "(body)", message: "unrecognised shape" }]);
  });

  test("subscriber test with a wrongly typed message", () => {
    const result = rejected(parseOdooPush({ ...subscriberTestBody, message: 5 }));
    expect(result.issues.map((i) => i.path)).toEqual(["message"]);
    expect(result.message).toMatch(/^invalid subscriber test body: message: /);
  });
});

describe("OdooTimestamp", () => {
  test.each([
    "2025-11-29T10:15:02",
    "2025-11-29 10:15:02",
    "2025-11-29T10:16:03.512904",
    "2025-11-29T10:15:02Z",
    "2025-11-29T10:15:02+05:30",
  ])("accepts %s", (value) => {
    expect(OdooTimestamp.safeParse(value).success).toBe(true);
  });

  test.each([
    "yesterday",
    "2025-11-29",
    "2025-11-29T10:15:02.1234567",
    "2025-13-45T10:15:02",
    "2025-02-29T10:15:02",
    "2025-11-29T25:00:00",
  ])("rejects %s", (value) => {
    expect(OdooTimestamp.safeParse(value).success).toBe(false);
  });
});
