import * as z from "zod/mini";
import { TokenPair } from "./auth.js";
import { ConnectErrorData, ErrorBody, ErrorCode, HttpErrorResponse } from "./errors.js";
import { assertSupported } from "./json-schema-subset.js";
import { IsoDateTime, ModelName } from "./odoo-values.js";
import {
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
import type { WireSchemaDocument } from "./wire-checks.js";

/** The hub's messages (Socket.IO and HTTP) a client checks before acting on them, by name. */
export const wireSources = {
  Ready,
  Resync,
  Replaced,
  ConnectErrorData,
  SubscribeReply,
  AckReply,
  TokenExpiring,
  Expired,
  RefreshReply,
  TokenPair,
  HttpErrorResponse,
  AdminTest,
} satisfies Record<string, z.ZodMiniType>;

/** Each wire message's type, inferred from its zod schema. */
export type WireMessages = { [K in keyof typeof wireSources]: z.infer<(typeof wireSources)[K]> };

/**
 * The wire messages' JSON Schemas from their zod schemas: what `npm run generate` writes to
 * wire-schemas.ts. Input schemas, since a check accepts what zod's parse accepts (unknown keys
 * included, which zod strips). Schemas used more than once are named `$defs`.
 */
export function deriveWireSchemas(): WireSchemaDocument {
  const names = z.registry<{ id: string }>();
  names.add(ModelName, { id: "ModelName" });
  names.add(IsoDateTime, { id: "IsoDateTime" });
  names.add(ErrorCode, { id: "ErrorCode" });
  names.add(ErrorBody, { id: "ErrorBody" });
  const document = z.toJSONSchema(z.object(wireSources), {
    io: "input",
    unrepresentable: "throw",
    metadata: names,
  });
  const { properties: messages = {}, $defs: defs = {} } = document;
  for (const [name, schema] of Object.entries({ ...messages, ...defs })) {
    dropRedundant(schema);
    assertSupported(schema, name);
  }
  // Every schema in it passed assertSupported, and `wireSources` fixes the message names.
  return { messages, defs } as unknown as WireSchemaDocument;
}

/**
 * What says nothing the check does not already know, and would only weigh on the browser bundle:
 * zod's integers are safe integers, which the check's `integer` means, so the bounds ±(2^53 - 1)
 * it writes on every one go; so does `format`, an annotation beside the `pattern` that checks it.
 */
function dropRedundant(schema: unknown): void {
  if (typeof schema !== "object" || schema === null) return;
  const node = schema as Record<string, unknown>;
  if (node["type"] === "integer") {
    if (node["maximum"] === Number.MAX_SAFE_INTEGER) delete node["maximum"];
    if (node["minimum"] === Number.MIN_SAFE_INTEGER) delete node["minimum"];
  }
  if (typeof node["pattern"] === "string") delete node["format"];
  for (const child of Object.values(node)) dropRedundant(child);
}
