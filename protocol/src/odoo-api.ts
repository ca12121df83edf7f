import { z } from "zod";
import {
  AppType,
  Category,
  ModelName,
  OdooId,
  OdooPayload,
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
  timestamp: z.string().optional(),
});
export type OdooApiError = z.infer<typeof OdooApiError>;

export const OdooPullRequest = z.object({
  last_event_id: z.number().int().nonnegative(),
  limit: z.number().int().min(1).max(1000),
  models: z.array(ModelName).optional(),
  priority: Priority.optional(),
});
export type OdooPullRequest = z.infer<typeof OdooPullRequest>;

/** One `update.webhook` row as `/api/webhooks/pull` returns it. */
export const OdooPullRow = z.looseObject({
  id: OdooId,
  model: ModelName,
  record_id: RecordId,
  event: Operation,
  timestamp: OdooTimestamp,
  payload: OdooPayload.nullable(),
  priority: Priority,
  category: Category,
  user_id: z.number().int().nullable(),
  user_name: z.string().nullable(),
});
export type OdooPullRow = z.infer<typeof OdooPullRow>;

/**
 * `success: true` with an `error` key is a failure the module hides behind a 200 (reference
 * §5.3); callers must check `error` before trusting `events`.
 */
export const OdooPullResponse = z.looseObject({
  success: z.boolean(),
  events: z.array(OdooPullRow),
  last_id: z.number().int().nonnegative(),
  /** Ignores the models and priority filters (reference §5.3). */
  has_more: z.boolean(),
  count: z.number().int().nonnegative(),
  timestamp: z.string(),
  error: z.string().optional(),
});
export type OdooPullResponse = z.infer<typeof OdooPullResponse>;

export const OdooMarkProcessedRequest = z.object({ event_ids: z.array(OdooId).min(1) });
export type OdooMarkProcessedRequest = z.infer<typeof OdooMarkProcessedRequest>;

export const OdooMarkProcessedResponse = z.looseObject({
  success: z.literal(true),
  /** Echoes the request length, not the number of rows changed. */
  processed_count: z.number().int(),
  message: z.string(),
  timestamp: z.string(),
});
export type OdooMarkProcessedResponse = z.infer<typeof OdooMarkProcessedResponse>;

export const OdooSyncStateRequest = z.object({
  user_id: OdooId,
  device_id: z.string().trim().min(3).max(255),
  app_type: AppType.default("mobile_app"),
  device_info: z.string().optional(),
  app_version: z.string().max(50).optional(),
});
export type OdooSyncStateRequest = z.input<typeof OdooSyncStateRequest>;

export const OdooSyncState = z.looseObject({
  id: OdooId,
  user_id: OdooId,
  device_id: z.string(),
  app_type: AppType,
  last_event_id: z.number().int().nonnegative(),
  last_sync_time: z.string().nullable(),
  sync_count: z.number().int().nonnegative(),
  is_active: z.boolean(),
  /** Only in the `/sync-state/update` answer. */
  total_events_synced: z.number().int().nonnegative().optional(),
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
  device_id: z.string().trim().min(3).max(255),
  last_event_id: z.number().int().nonnegative(),
  events_synced: z.number().int().nonnegative(),
});
export type OdooSyncStateUpdateRequest = z.infer<typeof OdooSyncStateUpdateRequest>;

export const OdooHealthResponse = z.looseObject({
  status: z.string(),
  version: z.string(),
  module: z.string(),
  pending_events: z.number().int().nonnegative(),
  timestamp: z.string(),
});
export type OdooHealthResponse = z.infer<typeof OdooHealthResponse>;
