import { matches } from "./json-schema-check.js";
import type { JsonSchema, JsonSchemaDefs } from "./json-schema-subset.js";
// Types only: the zod schemas stay out of the client's bundle.
import type { WireMessages } from "./wire-schemas-derive.js";
import { wireSchemas } from "./wire-schemas.js";

export type { WireMessages };

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
