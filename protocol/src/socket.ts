import * as z from "zod/mini";
import { NormalizedEvent } from "./event.js";
import { ModelDomains } from "./domain.js";
import { ErrorBody } from "./errors.js";
import { AppType, DeviceId, IsoDateTime, ModelName, NonNegativeInt } from "./odoo-values.js";

export const MAX_MODELS = 200;
/** A cursor as a client sends it back. */
const Cursor = z.string().check(z.minLength(1), z.maxLength(200));
const Models = z.array(ModelName).check(z.maxLength(MAX_MODELS));

/** A subscription's narrowing: per subscribed model, a domain its records must match too. */
const Where = ModelDomains.check(
  z.refine((where) => Object.keys(where).length <= MAX_MODELS, "too many models"),
);

/** `where` may name only models the same request subscribes to. */
function whereWithinModels(value: { models?: string[] | undefined; where?: object | undefined }) {
  return Object.keys(value.where ?? {}).every((model) => value.models?.includes(model) === true);
}
const WHERE_OUTSIDE = "where may name only models listed in models";

/** Socket.IO handshake `auth`. */
export const HandshakeAuth = z
  .object({
    token: z.string().check(z.minLength(1), z.maxLength(8192)),
    deviceId: DeviceId,
    appType: z._default(AppType, "mobile_app"),
    /** Opaque string the hub gave (an event's `cursor`, `ready.cursor` or `resync.cursor`). */
    cursor: z.optional(Cursor),
    /** Replaces the device's stored subscriptions when given. */
    models: z.optional(Models),
    /** Narrows `models`: stored with them, applied on top of what the token allows. */
    where: z.optional(Where),
    /** Replay only each record's latest event of what the device missed (`ready.compacted`). */
    compact: z.optional(z.boolean()),
  })
  .check(z.refine(whereWithinModels, { message: WHERE_OUTSIDE, path: ["where"] }));
export type HandshakeAuth = z.input<typeof HandshakeAuth>;
export type ParsedHandshakeAuth = z.infer<typeof HandshakeAuth>;

export const ReadySource = z.enum(["hub", "odoo", "none"]);

/** Sent once per connection, after the replay of what the device missed. */
export const Ready = z.object({
  tenant: z.string(),
  uid: z.number().check(z.int()),
  deviceId: z.string(),
  /** Resume point after the last event replayed (or the log head). */
  cursor: z.string(),
  /** True when the hub proved continuity from the device's cursor. */
  recovered: z.boolean(),
  replayed: NonNegativeInt,
  source: ReadySource,
  /** The device's effective subscriptions (stored, filtered by the token). */
  models: z.array(ModelName),
  /** With `compact`: how many missed events the replay left out (older events of a record). */
  compacted: z.optional(NonNegativeInt),
});
export type Ready = z.infer<typeof Ready>;

export const ResyncReason = z.enum(["epoch_changed", "cursor_expired", "cursor_unknown"]);
export type ResyncReason = z.infer<typeof ResyncReason>;

/** Continuity could not be proved: reload state, then continue from `cursor`. */
export const Resync = z.object({ reason: ResyncReason, cursor: z.string() });
export type Resync = z.infer<typeof Resync>;

/**
 * A newer connection of the same device (same tenant, user and device id), on any hub node, took
 * over: this session is closed right after. Do not reconnect automatically; two live sessions
 * with one device id usually mean two app instances sharing an id.
 */
export const Replaced = z.object({ code: z.literal("session_replaced"), message: z.string() });
export type Replaced = z.infer<typeof Replaced>;

/**
 * The session's token expires soon (`expiresAt`, ISO 8601 UTC): send `refresh` with a new token
 * before then, or the hub ends the session at `expiresAt` (`expired`).
 */
export const TokenExpiring = z.object({
  code: z.literal("token_expiring"),
  expiresAt: IsoDateTime,
  message: z.string(),
});
export type TokenExpiring = z.infer<typeof TokenExpiring>;

/**
 * The session's token expired without a refresh: no event is sent after its `exp`, and the hub
 * closes the connection right after this notice. Reconnect with a new token and your cursor.
 */
export const Expired = z.object({ code: z.literal("token_expired"), message: z.string() });
export type Expired = z.infer<typeof Expired>;

/**
 * A test notice an operator sent to this device from the hub's admin page (`/admin`). It is not
 * an event: it has no cursor and no place in the tenant's order, is never logged or replayed,
 * and changes nothing the device stores. A client answers its acknowledgement with
 * `AdminTestReply` once the app has seen it (optional: the operator then sees no answer).
 */
export const AdminTest = z.object({
  code: z.literal("admin_test"),
  /** Tells this notice apart from other ones (a random id). */
  id: z.string().check(z.minLength(1), z.maxLength(100)),
  /** The operator's text. */
  message: z.string().check(z.maxLength(500)),
  sentAt: IsoDateTime,
});
export type AdminTest = z.infer<typeof AdminTest>;

export const AdminTestReply = z.object({ ok: z.literal(true) });
export type AdminTestReply = z.infer<typeof AdminTestReply>;

/** A new token for the live session: same tenant and user; its `models` replace the old ones. */
export const RefreshRequest = z.object({
  token: z.string().check(z.minLength(1), z.maxLength(8192)),
});
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export const RefreshReply = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), models: z.array(ModelName), expiresAt: IsoDateTime }),
  z.object({ ok: z.literal(false), error: ErrorBody }),
]);
export type RefreshReply = z.infer<typeof RefreshReply>;

export const SubscribeRequest = z
  .object({ models: Models.check(z.minLength(1)), where: z.optional(Where) })
  .check(z.refine(whereWithinModels, { message: WHERE_OUTSIDE, path: ["where"] }));
export type SubscribeRequest = z.infer<typeof SubscribeRequest>;

export const SubscribeReply = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), models: z.array(ModelName) }),
  z.object({ ok: z.literal(false), error: ErrorBody }),
]);
export type SubscribeReply = z.infer<typeof SubscribeReply>;

export const AckRequest = z.object({
  cursor: Cursor,
  /** Events processed since the previous ack; feeds the sync state's counts. */
  events: z.optional(z.number().check(z.int(), z.nonnegative(), z.maximum(1_000_000))),
});
export type AckRequest = z.infer<typeof AckRequest>;

export const AckReply = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), cursor: z.string() }),
  z.object({ ok: z.literal(false), error: ErrorBody }),
]);
export type AckReply = z.infer<typeof AckReply>;

export interface ServerToClientEvents {
  event: (event: NormalizedEvent) => void;
  ready: (ready: Ready) => void;
  resync: (resync: Resync) => void;
  replaced: (notice: Replaced) => void;
  token_expiring: (notice: TokenExpiring) => void;
  expired: (notice: Expired) => void;
  admin_test: (notice: AdminTest, ack: (reply: AdminTestReply) => void) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, reply: (reply: SubscribeReply) => void) => void;
  unsubscribe: (request: SubscribeRequest, reply: (reply: SubscribeReply) => void) => void;
  ack: (request: AckRequest, reply: (reply: AckReply) => void) => void;
  refresh: (request: RefreshRequest, reply: (reply: RefreshReply) => void) => void;
}
