import * as z from "zod/mini";
import {
  AppType,
  Category,
  DeviceId,
  ModelName,
  NonNegativeInt,
  OdooId,
  OdooPayloadBody,
  OdooTimestamp,
  Operation,
  Priority,
  RecordId,
} from "./odoo-values.js";

/**
 * The module's REST API (reference §5–§6). Responses are validated loosely (extra keys kept)
 * because the module adds keys between versions; required keys are the ones the hub relies on.
 */

/** Every error answer: `{error: true, message, timestamp}` with 400/401/404/500/503. */
export const OdooApiError = z.looseObject({
  error: z.literal(true),
  message: z.string(),
  timestamp: z.optional(z.string()),
});
export type OdooApiError = z.infer<typeof OdooApiError>;

export const OdooPullRequest = z.object({
  last_event_id: NonNegativeInt,
  limit: z.number().check(z.int(), z.minimum(1), z.maximum(1000)),
  models: z.optional(z.array(ModelName)),
  priority: z.optional(Priority),
});
export type OdooPullRequest = z.infer<typeof OdooPullRequest>;

/** One `update.webhook` row as `/api/webhooks/pull` returns it. */
export const OdooPullRow = z.looseObject({
  id: OdooId,
  model: ModelName,
  record_id: RecordId,
  event: Operation,
  timestamp: OdooTimestamp,
  payload: z.nullable(OdooPayloadBody),
  priority: Priority,
  category: Category,
  user_id: z.nullable(z.number().check(z.int())),
  user_name: z.nullable(z.string()),
});
export type OdooPullRow = z.infer<typeof OdooPullRow>;

/**
 * `success: true` with an `error` key is a failure the module hides behind a 200 (reference
 * §5.3); callers must check `error` before trusting `events`.
 */
export const OdooPullResponse = z.looseObject({
  success: z.boolean(),
  events: z.array(OdooPullRow),
  last_id: NonNegativeInt,
  /** Ignores the models and priority filters (reference §5.3). */
  has_more: z.boolean(),
  count: NonNegativeInt,
  timestamp: z.string(),
  error: z.optional(z.string()),
});
export type OdooPullResponse = z.infer<typeof OdooPullResponse>;

export const OdooMarkProcessedRequest = z.object({
  event_ids: z.array(OdooId).check(z.minLength(1)),
});
export type OdooMarkProcessedRequest = z.infer<typeof OdooMarkProcessedRequest>;

export const OdooMarkProcessedResponse = z.looseObject({
  success: z.literal(true),
  /** Echoes the request length, not the number of rows changed. */
  processed_count: z.number().check(z.int()),
  message: z.string(),
  timestamp: z.string(),
});
export type OdooMarkProcessedResponse = z.infer<typeof OdooMarkProcessedResponse>;

export const OdooSyncStateRequest = z.object({
  user_id: OdooId,
  device_id: DeviceId,
  app_type: z._default(AppType, "mobile_app"),
  device_info: z.optional(z.string()),
  app_version: z.optional(z.string().check(z.maxLength(50))),
});
export type OdooSyncStateRequest = z.input<typeof OdooSyncStateRequest>;

export const OdooSyncState = z.looseObject({
  id: OdooId,
  user_id: OdooId,
  device_id: z.string(),
  app_type: AppType,
  last_event_id: NonNegativeInt,
  last_sync_time: z.nullable(z.string()),
  sync_count: NonNegativeInt,
  is_active: z.boolean(),
  /** Only in the `/sync-state/update` answer. */
  total_events_synced: z.optional(NonNegativeInt),
});
export type OdooSyncState = z.infer<typeof OdooSyncState>;

export const OdooSyncStateResponse = z.looseObject({
  success: z.literal(true),
  sync_state: OdooSyncState,
  timestamp: z.string(),
});
export type OdooSyncStateResponse = z.infer<typeof OdooSyncStateResponse>;

export const OdooSyncStateUpdateRequest = z.object({
  user_id: OdooId,
  device_id: DeviceId,
  last_event_id: NonNegativeInt,
  events_synced: NonNegativeInt,
});
export type OdooSyncStateUpdateRequest = z.infer<typeof OdooSyncStateUpdateRequest>;

export const OdooHealthResponse = z.looseObject({
  status: z.string(),
  version: z.string(),
  module: z.string(),
  pending_events: NonNegativeInt,
  timestamp: z.string(),
});
export type OdooHealthResponse = z.infer<typeof OdooHealthResponse>;
