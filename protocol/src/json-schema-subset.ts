/**
 * The JSON Schema subset that `z.toJSONSchema` emits for the messages a client checks (see
 * wire-schemas.ts), which json-schema-check.ts interprets. `assertSupported` refuses any keyword
 * outside it, so a schema change that needs more fails at generation instead of being checked
 * loosely.
 */
export interface JsonSchema {
  $ref?: string;
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean" | "null";
  enum?: readonly unknown[];
  const?: unknown;
  properties?: Readonly<Record<string, JsonSchema>>;
  required?: readonly string[];
  items?: JsonSchema;
  oneOf?: readonly JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** An annotation only: zod emits the `pattern` that checks it alongside (assertSupported). */
  format?: string;
  minimum?: number;
  exclusiveMinimum?: number;
}

/** `$defs` by name; `$ref`s have the form `#/$defs/<name>`. */
export type JsonSchemaDefs = Readonly<Record<string, JsonSchema>>;

/** Every keyword of JsonSchema, and only those (the type checker holds the two together). */
const KEYWORDS: Record<keyof JsonSchema, true> = {
  $ref: true,
  type: true,
  enum: true,
  const: true,
  properties: true,
  required: true,
  items: true,
  oneOf: true,
  minLength: true,
  maxLength: true,
  pattern: true,
  format: true,
  minimum: true,
  exclusiveMinimum: true,
};

/** Throws naming the first keyword (or non-schema) that the interpreter does not implement. */
export function assertSupported(schema: unknown, where = "#"): asserts schema is JsonSchema {
  if (typeof schema !== "object" || schema === null) throw new Error(`${where}: not a schema`);
  for (const [key, value] of Object.entries(schema)) {
    if (!Object.hasOwn(KEYWORDS, key)) {
      throw new Error(`${where}: unsupported JSON Schema keyword ${key}`);
    }
    if (key === "format" && !("pattern" in schema)) {
      throw new Error(`${where}: format ${String(value)} without a pattern that checks it`);
    }
    if (key === "items") assertSupported(value, `${where}/items`);
    if (key === "oneOf") {
      (value as unknown[]).forEach((s, i) => assertSupported(s, `${where}/oneOf/${i}`));
    }
    if (key === "properties") {
      for (const [name, s] of Object.entries(value as object)) {
        assertSupported(s, `${where}/properties/${name}`);
      }
    }
  }
}
