import * as z from "zod/mini";
import { ConnectErrorData, ErrorBody, ErrorCode } from "./errors.js";
import { assertSupported } from "./json-schema-subset.js";
import { ModelName } from "./odoo-values.js";
import {
  AckReply,
  Expired,
  Ready,
  RefreshReply,
  Replaced,
  Resync,
  SubscribeReply,
  TokenExpiring,
} from "./socket.js";
import type { WireMessages, WireSchemaDocument } from "./wire-checks.js";

const sources: { [K in keyof WireMessages]: z.ZodMiniType<WireMessages[K]> } = {
  Ready,
  Resync,
  Replaced,
  ConnectErrorData,
  SubscribeReply,
  AckReply,
  TokenExpiring,
  Expired,
  RefreshReply,
};

/**
 * The wire messages' JSON Schemas from their zod schemas: what `npm run generate` writes to
 * wire-schemas.ts. Input schemas, since a check accepts what zod's parse accepts (unknown keys
 * included, which zod strips). Schemas used more than once are named `$defs`.
 */
export function deriveWireSchemas(): WireSchemaDocument {
  const names = z.registry<{ id: string }>();
  names.add(ModelName, { id: "ModelName" });
  names.add(ErrorCode, { id: "ErrorCode" });
  names.add(ErrorBody, { id: "ErrorBody" });
  const document = z.toJSONSchema(z.object(sources), {
    io: "input",
    unrepresentable: "throw",
    metadata: names,
  });
  const { properties: messages = {}, $defs: defs = {} } = document;
  for (const [name, schema] of Object.entries({ ...messages, ...defs })) {
    assertSupported(schema, name);
  }
  // Every schema in it passed assertSupported, and `sources` fixes the message names.
  return { messages, defs } as unknown as WireSchemaDocument;
}
