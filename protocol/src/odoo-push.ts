import * as z from "zod/mini";
import { issuesOf } from "./issues.js";
import {
  Category,
  ModelName,
  OdooId,
  OdooPayloadBody,
  OdooTimestamp,
  Operation,
  Priority,
  RecordId,
} from "./odoo-values.js";

/** Cron path body (reference §4.1): the `webhook.event` envelope. */
export const OdooEnvelope = z.object({
  event_id: OdooId,
  model: ModelName,
  record_id: RecordId,
  event: Operation,
  timestamp: OdooTimestamp,
  priority: z.optional(Priority),
  category: z.optional(Category),
  /** Absent when the stored payload is empty. */
  data: z.optional(OdooPayloadBody),
  /** Present only on the config path for writes. */
  changed_fields: z.optional(z.array(z.string())),
});
export type OdooEnvelope = z.infer<typeof OdooEnvelope>;

/** Instant path body (reference §4.2): the stored payload plus `_webhook_metadata`. */
export const OdooWebhookMetadata = z.object({
  event_id: OdooId,
  event_type: Operation,
  model: ModelName,
  record_id: RecordId,
  timestamp: OdooTimestamp,
});
export const OdooRawPush = z.looseObject({ _webhook_metadata: OdooWebhookMetadata });
export type OdooRawPush = z.infer<typeof OdooRawPush>;

/** The subscriber "Test connection" button (reference §4.7). */
export const OdooSubscriberTest = z.looseObject({
  test: z.literal(true),
  message: z.optional(z.string()),
  timestamp: z.optional(z.string()),
  subscriber: z.optional(z.string()),
});
export type OdooSubscriberTest = z.infer<typeof OdooSubscriberTest>;

/** The config "Test webhook" button (reference §4.8): an envelope whose data has `_test_event`. */
export function isConfigTest(envelope: OdooEnvelope): boolean {
  return envelope.data?.["_test_event"] === true;
}

export type OdooPush =
  | { kind: "envelope"; body: OdooEnvelope }
  | { kind: "raw"; body: OdooRawPush }
  | { kind: "subscriber_test"; body: OdooSubscriberTest }
  | { kind: "config_test"; body: OdooEnvelope };

export type PushParseResult =
  { ok: true; push: OdooPush } | { ok: false; message: string; issues: Issue[] };

export const Issue = z.object({ path: z.string(), message: z.string() });
export type Issue = z.infer<typeof Issue>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Tells the module's body shapes apart (reference §12): `_webhook_metadata` means the raw instant
 * shape, top-level `event` + `model` the cron envelope, `test: true` the subscriber test.
 */
export function parseOdooPush(body: unknown): PushParseResult {
  if (!isObject(body)) {
    return fail("body must be a JSON object", [{ path: "(body)", message: "expected an object" }]);
  }
  if ("_webhook_metadata" in body) return wrap(OdooRawPush.safeParse(body), "raw");
  if ("event" in body || "event_id" in body || "model" in body) {
    const parsed = OdooEnvelope.safeParse(body);
    if (!parsed.success) return wrap(parsed, "envelope");
    const kind = isConfigTest(parsed.data) ? "config_test" : "envelope";
    return { ok: true, push: { kind, body: parsed.data } };
  }
  if (body["test"] === true) return wrap(OdooSubscriberTest.safeParse(body), "subscriber_test");
  return fail(
    "body is not an Odoo webhook: expected the cron envelope (event_id, model, record_id, event), the instant shape (_webhook_metadata) or a test body (test: true)",
    [{ path: "(body)", message: "unrecognised shape" }],
  );
}

function fail(message: string, issues: Issue[]): PushParseResult {
  return { ok: false, message, issues };
}

type ParseOutcome<T> = { success: true; data: T } | { success: false; error: z.core.$ZodError };

function wrap<K extends OdooPush["kind"]>(
  parsed: ParseOutcome<Extract<OdooPush, { kind: K }>["body"]>,
  kind: K,
): PushParseResult {
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    const list = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
    return fail(`invalid ${kind.replace("_", " ")} body: ${list}`, issues);
  }
  return { ok: true, push: { kind, body: parsed.data } as OdooPush };
}
