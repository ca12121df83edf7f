/**
 * Realistic bodies as the auto_webhook module (3.1.0) builds them, reconstructed from the
 * reference. Each change is one stored payload dict; `asEnvelope`, `asRawPush` and `asPullRow`
 * render it the way the cron push, the instant push and `/api/webhooks/pull` carry it.
 */
import type { OdooPullRow } from "./odoo-api.js";
import type { OdooEnvelope, OdooRawPush, OdooSubscriberTest } from "./odoo-push.js";
import type { OdooPayload } from "./odoo-values.js";

export interface FixtureChange {
  model: string;
  recordId: number;
  op: "create" | "write" | "unlink";
  timestamp: string;
  priority: "high" | "medium" | "low";
  category: "business" | "system" | "notification" | "custom";
  payload: OdooPayload;
}

export const saleOrderCreate: FixtureChange = {
  model: "sale.order",
  recordId: 42,
  op: "create",
  timestamp: "2025-11-29T10:14:55",
  priority: "high",
  category: "business",
  payload: {
    id: 42,
    name: "S00042",
    state: "draft",
    partner_id: { id: 7, name: "Azure Interior" },
    user_id: { id: 2, name: "Mitchell Admin" },
    order_line: [{ id: 101, name: "[FURN_8888] Office Lamp" }],
    date_order: "2025-11-29T10:14:55",
    amount_total: 1234.5,
    note: false,
    client_order_ref: false,
    create_date: "2025-11-29T10:14:55",
    write_date: "2025-11-29T10:14:55",
    _metadata: {
      model: "sale.order",
      id: 42,
      display_name: "S00042",
      rule_id: 1,
      rule_name: "Sale Orders - Create",
    },
  },
};

export const saleOrderWrite: FixtureChange = {
  ...saleOrderCreate,
  op: "write",
  timestamp: "2025-11-29T10:15:02",
  payload: {
    ...saleOrderCreate.payload,
    state: "sale",
    write_date: "2025-11-29T10:15:02",
    _metadata: {
      model: "sale.order",
      id: 42,
      display_name: "S00042",
      rule_id: 2,
      rule_name: "Sale Orders - Update",
    },
    _changed_fields: ["state"],
  },
};

export const partnerWrite: FixtureChange = {
  model: "res.partner",
  recordId: 7,
  op: "write",
  timestamp: "2025-11-29T11:02:40",
  priority: "medium",
  category: "business",
  payload: {
    id: 7,
    name: "Azure Interior",
    email: "azure.Interior24@example.com",
    phone: "(870)-931-0505",
    mobile: false,
    is_company: true,
    parent_id: { id: false, name: "" },
    user_id: { id: 6, name: "Marc Demo" },
    category_id: [{ id: 5, name: "Services" }],
    image_1920: true,
    create_date: "2025-10-01T08:00:00",
    write_date: "2025-11-29T11:02:40",
    _metadata: {
      model: "res.partner",
      id: 7,
      display_name: "Azure Interior",
      operation: "write",
      timestamp: "2025-11-29T11:02:40",
    },
    _changed_fields: ["phone"],
  },
};

/** Unlink through the config path: the payload is captured before deletion. */
export const saleOrderUnlink: FixtureChange = {
  ...saleOrderCreate,
  recordId: 43,
  op: "unlink",
  timestamp: "2025-11-29T12:30:00",
  payload: {
    ...saleOrderCreate.payload,
    id: 43,
    name: "S00043",
    state: "cancel",
    write_date: "2025-11-29T12:29:40",
    _metadata: {
      model: "sale.order",
      id: 43,
      display_name: "S00043",
      operation: "unlink",
      timestamp: "2025-11-29T12:30:00",
    },
  },
};

export const allChanges = [saleOrderCreate, saleOrderWrite, partnerWrite, saleOrderUnlink];

/** Cron path body. `data` is omitted when the payload is empty, as the module does. */
export function asEnvelope(change: FixtureChange, webhookEventId: number): OdooEnvelope {
  const envelope: OdooEnvelope = {
    event_id: webhookEventId,
    model: change.model,
    record_id: change.recordId,
    event: change.op,
    timestamp: change.timestamp,
    priority: change.priority,
    category: change.category,
  };
  if (Object.keys(change.payload).length > 0) envelope.data = change.payload;
  return envelope;
}

/** Instant path body: the payload with `_webhook_metadata` on top. */
export function asRawPush(change: FixtureChange, webhookEventId: number): OdooRawPush {
  return {
    ...change.payload,
    _webhook_metadata: {
      event_id: webhookEventId,
      event_type: change.op,
      model: change.model,
      record_id: change.recordId,
      timestamp: change.timestamp,
    },
  };
}

/** A `/api/webhooks/pull` row; jsonb returns the payload with its keys reordered. */
export function asPullRow(change: FixtureChange, updateWebhookId: number): OdooPullRow {
  const reordered = Object.fromEntries(Object.entries(change.payload).reverse());
  return {
    id: updateWebhookId,
    model: change.model,
    record_id: change.recordId,
    event: change.op,
    timestamp: change.timestamp,
    payload: reordered,
    priority: change.priority,
    category: change.category,
    user_id: 2,
    user_name: "Mitchell Admin",
  };
}

/** The subscriber's "Test connection" POST (reference §4.7). */
export const subscriberTestBody: OdooSubscriberTest = {
  test: true,
  message: "Connection test from Odoo Webhook Module",
  timestamp: "2025-11-29T10:20:00.123456",
  subscriber: "odoo-live hub",
};

/** The config's "Test webhook" button: an envelope with `_test_event` data (reference §4.8). */
export const configTestBody: OdooEnvelope = {
  event_id: 5600,
  model: "sale.order",
  record_id: -1,
  event: "create",
  timestamp: "2025-11-29T10:21:00",
  priority: "high",
  category: "business",
  data: {
    _test_event: true,
    message: "This is a test webhook event",
    model: "sale.order",
    config_name: "Sale Orders",
    timestamp: "2025-11-29T10:21:00",
    sample_record_id: -1,
  },
};
