import type { TokenPair } from "./auth.js";
import type { ConnectErrorData, HttpErrorResponse } from "./errors.js";
import { matches } from "./json-schema-check.js";
import type { JsonSchema, JsonSchemaDefs } from "./json-schema-subset.js";
import type {
  AckReply,
  AdminTest,
  Expired,
  Ready,
  RefreshReply,
  Replaced,
  Resync,
  SubscribeReply,
  TokenExpiring,
} from "./socket.js";
import { wireSchemas } from "./wire-schemas.js";

/** The hub's messages (Socket.IO and HTTP) a client checks before acting on them, by name. */
export interface WireMessages {
  Ready: Ready;
  Resync: Resync;
  Replaced: Replaced;
  ConnectErrorData: ConnectErrorData;
  SubscribeReply: SubscribeReply;
  AckReply: AckReply;
  TokenExpiring: TokenExpiring;
  Expired: Expired;
  RefreshReply: RefreshReply;
  TokenPair: TokenPair;
  HttpErrorResponse: HttpErrorResponse;
  AdminTest: AdminTest;
}

/** The JSON Schemas of the wire messages, derived from their zod schemas (wire-schemas.ts). */
export interface WireSchemaDocument {
  messages: Readonly<Record<keyof WireMessages, JsonSchema>>;
  defs: JsonSchemaDefs;
}

/**
 * Whether `value` is a valid `name` message, as the protocol's zod schema says, without loading
 * zod: the check interprets the JSON Schema generated from that zod schema.
 */
export function isWireMessage<K extends keyof WireMessages>(
  name: K,
  value: unknown,
): value is WireMessages[K] {
  return matches(wireSchemas.messages[name], value, wireSchemas.defs);
}
