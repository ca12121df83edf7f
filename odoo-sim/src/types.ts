import type { AppType, Category, OdooPayload, Operation, Priority } from "@odoo-live/protocol";
import type { z } from "zod";

export type Op = z.infer<typeof Operation>;
export type PriorityValue = z.infer<typeof Priority>;
export type CategoryValue = z.infer<typeof Category>;
export type AppTypeValue = z.infer<typeof AppType>;

export interface OdooSimOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The `ir.config_parameter` `webhook.api_key`. Default "sim-api-key". */
  apiKey?: string;
  /** When set, REST requests must carry `?db=<db>` or `X-Odoo-Database: <db>` (else a 404 page). */
  db?: string;
  /** Existing `res.users` ids. Default 1..1000. */
  users?: number[];
  /** The user API key accepted by `/jsonrpc`. Default `{ login: "admin", uid: 2, key: "sim-rpc-key" }`. */
  rpc?: RpcUser;
  /** Users who can log in (`common.authenticate`) besides the RPC user. Default none. */
  accounts?: SimAccount[];
  /**
   * `ir.model.access` read rules: model name → the groups that may read it (`null`: every
   * user). What sign-in asks about through `res.users`, `ir.model` and `ir.model.access`.
   */
  readAccess?: Record<string, (number | null)[]>;
  /** Clock for every timestamp. Default real time. */
  now?: () => Date;
  /**
   * Start with the 9 `update.webhook` rows that installing the module writes (a res.partner
   * write and 8 account.journal creates, by OdooBot). They were queued for the shipped
   * BridgeCore subscriber, not for the one `subscribe()` sets up, so they are never pushed.
   * Default false.
   */
  installRows?: boolean;
}

/**
 * How the change entered Odoo, which decides how often the module pushes it: through external
 * JSON-RPC (`/jsonrpc` execute_kw) an instant push is sent once; through the web client
 * (`/web/dataset/call_kw`) it is sent at once and again by the cron.
 */
export type EntryPath = "jsonrpc" | "web";

/** A `res.users` record that logs in with its password or its API key. */
export interface SimAccount {
  uid: number;
  login: string;
  password: string;
  apiKey?: string;
  /** Archived users cannot log in. Default true. */
  active?: boolean;
  companyIds: number[];
  /** `groups_id`, implied groups included. */
  groupIds: number[];
}

export interface RpcUser {
  login: string;
  uid: number;
  key: string;
}

export interface ChangeInput {
  model: string;
  recordId: number;
  op: Op;
  /** Default: a §3.5 snapshot built from model and recordId. */
  payload?: OdooPayload;
  /** `update.webhook.user_id`, the actor. Default the RPC user; null for none. */
  userId?: number | null;
  priority?: PriorityValue;
  category?: CategoryValue;
  /** The id is taken now (INSERT) but the row is visible only this much later (COMMIT). */
  commitDelayMs?: number;
  /** The ids are consumed but nothing is ever committed. */
  rollback?: boolean;
  /** Default "web". */
  via?: EntryPath;
}

export interface ChangeResult {
  updateWebhookId: number;
  /** Allocated when a subscriber is configured at change time. */
  webhookEventId: number | undefined;
  /** Settles when the transaction ends (commit or rollback). */
  committed: Promise<void>;
}

export interface SubscriberConfig {
  url: string;
  authType: "none" | "bearer" | "basic" | "api_key";
  /** Bearer token, base64 "user:pass" for basic, or the API key. */
  token?: string;
  /** Header for api_key auth. Default X-API-Key. */
  apiKeyHeader?: string;
  /** Send the models whose rules have `instant_send` right after commit. Default true. */
  instant?: boolean;
  /** When the cron sends the events still pending, as envelopes; default 60000, null never. */
  cronDelayMs?: number | null;
}

export type Fault = null | "down" | "rpc-error" | "hidden-error" | "refuse" | { slowMs: number };

/** An `update.webhook` row (field names as in Odoo). Timestamps are naive UTC, whole seconds. */
export interface LedgerRow {
  id: number;
  model: string;
  record_id: number;
  event: Op;
  payload: OdooPayload;
  timestamp: Date;
  user_id: number | null;
  is_processed: boolean;
  processed_at: Date | null;
  is_archived: boolean;
  archived_at: Date | null;
  priority: PriorityValue;
  category: CategoryValue;
}

/** A `user.sync.state` record (field names as in Odoo). */
export interface SyncStateRow {
  id: number;
  user_id: number;
  device_id: string;
  app_type: AppTypeValue;
  last_event_id: number;
  last_sync_time: Date | null;
  sync_count: number;
  is_active: boolean;
  device_info: string | null;
  app_version: string | null;
  last_event_count: number;
  total_events_synced: number;
  create_date: Date;
  write_date: Date;
}

export interface PushRecord {
  shape: "raw" | "envelope";
  webhookEventId: number;
  /** The hub's HTTP status, or "error" when no answer came (connection error, timeout). */
  status: number | "error";
}

export interface RequestRecord {
  method: string;
  path: string;
}

export interface OdooSim {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** A business change, written the way the module's ORM hook writes it. */
  change(input: ChangeInput): ChangeResult;
  /** Creates (or edits) the one `webhook.subscriber` pushes go to. */
  subscribe(sub: SubscriberConfig): void;
  /** Deletes the subscriber: pushes not sent yet are dropped. */
  unsubscribe(): void;
  /**
   * Runs the module's cron now (as `method_direct_trigger` does on a real Odoo): every event
   * still waiting for it is sent, as an envelope, instead of `cronDelayMs` after its commit.
   */
  runCron(): void;
  /** Another consumer calling /mark-processed (global: hides rows from /pull). */
  markProcessed(ids: number[]): void;
  /** Archived rows are hidden from /pull. */
  archive(ids: number[]): void;
  setFault(fault: Fault): void;
  /** Every committed `update.webhook` row, by id. */
  rows(): readonly LedgerRow[];
  syncState(userId: number, deviceId: string): SyncStateRow | undefined;
  /** Every `last_event_id` ever written for the device (0 at creation first), in order. */
  syncStateHistory(userId: number, deviceId: string): number[];
  /** What was pushed and what the hub answered, in sending order. */
  pushes(): readonly PushRecord[];
  /** An administrator's change of an account (archive it, change its groups or companies). */
  updateAccount(
    uid: number,
    patch: Partial<Pick<SimAccount, "active" | "groupIds" | "companyIds">>,
  ): void;
  /** Every HTTP request received, in arrival order. */
  requests(): readonly RequestRecord[];
  close(): Promise<void>;
}
