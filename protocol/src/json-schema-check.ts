/**
 * A validator for the JSON Schema subset that `z.toJSONSchema` emits for the messages a client
 * checks (see wire-schemas.ts). The browser client checks the hub's messages against schemas
 * derived from the protocol's zod schemas without shipping zod: minified, this interpreter and
 * the schema data weigh about 3.6 KB, zod/mini for the same schemas about 29 KB.
 * `assertSupported` refuses any keyword outside the subset, so a schema change that needs more
 * fails at generation instead of being checked loosely.
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
  anyOf?: readonly JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** `$defs` by name; `$ref`s have the form `#/$defs/<name>`. */
export type JsonSchemaDefs = Readonly<Record<string, JsonSchema>>;

const KEYWORDS = new Set<string>([
  "$ref",
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "items",
  "oneOf",
  "anyOf",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minItems",
  "maxItems",
]);

/** Throws naming the first keyword (or non-schema) that `matches` does not implement. */
export function assertSupported(schema: unknown, where = "#"): asserts schema is JsonSchema {
  if (typeof schema !== "object" || schema === null) throw new Error(`${where}: not a schema`);
  for (const [key, value] of Object.entries(schema)) {
    if (!KEYWORDS.has(key)) throw new Error(`${where}: unsupported JSON Schema keyword ${key}`);
    if (key === "items") assertSupported(value, `${where}/items`);
    if (key === "oneOf" || key === "anyOf") {
      (value as unknown[]).forEach((s, i) => assertSupported(s, `${where}/${key}/${i}`));
    }
    if (key === "properties") {
      for (const [name, s] of Object.entries(value as object)) {
        assertSupported(s, `${where}/properties/${name}`);
      }
    }
  }
}

/** Whether `value` conforms to `schema`, as zod's safeParse of the source schema would say. */
export function matches(schema: JsonSchema, value: unknown, defs: JsonSchemaDefs): boolean {
  if (schema.$ref !== undefined) {
    const target = defs[schema.$ref.replace("#/$defs/", "")];
    if (target === undefined) throw new Error(`unknown $ref ${schema.$ref}`);
    return matches(target, value, defs);
  }
  if (schema.type !== undefined && !hasType(schema.type, value)) return false;
  if (schema.enum !== undefined && !schema.enum.includes(value)) return false;
  if ("const" in schema && value !== schema.const) return false;
  if (schema.oneOf !== undefined) {
    if (schema.oneOf.filter((s) => matches(s, value, defs)).length !== 1) return false;
  }
  if (schema.anyOf !== undefined && !schema.anyOf.some((s) => matches(s, value, defs))) {
    return false;
  }
  if (typeof value === "string") return stringMatches(schema, value);
  if (typeof value === "number") return numberMatches(schema, value);
  if (Array.isArray(value)) return arrayMatches(schema, value, defs);
  if (typeof value === "object" && value !== null) return objectMatches(schema, value, defs);
  return true;
}

function hasType(type: NonNullable<JsonSchema["type"]>, value: unknown): boolean {
  switch (type) {
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

/** Compiled once per pattern; the patterns are the schemas' own, a fixed handful. */
const patterns = new Map<string, RegExp>();

function stringMatches(schema: JsonSchema, value: string): boolean {
  // zod counts UTF-16 code units, as `length` does; so must the derived check.
  if (schema.minLength !== undefined && value.length < schema.minLength) return false;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
  if (schema.pattern === undefined) return true;
  let regex = patterns.get(schema.pattern);
  if (regex === undefined) patterns.set(schema.pattern, (regex = new RegExp(schema.pattern)));
  return regex.test(value);
}

function numberMatches(schema: JsonSchema, value: number): boolean {
  return !(
    (schema.minimum !== undefined && value < schema.minimum) ||
    (schema.maximum !== undefined && value > schema.maximum) ||
    (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) ||
    (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum)
  );
}

function arrayMatches(schema: JsonSchema, value: unknown[], defs: JsonSchemaDefs): boolean {
  if (schema.minItems !== undefined && value.length < schema.minItems) return false;
  if (schema.maxItems !== undefined && value.length > schema.maxItems) return false;
  const items = schema.items;
  return items === undefined || value.every((item) => matches(items, item, defs));
}

function objectMatches(schema: JsonSchema, value: object, defs: JsonSchemaDefs): boolean {
  const record = value as Record<string, unknown>;
  // zod treats a key that is present with the value undefined like a missing one.
  if (schema.required?.some((key) => record[key] === undefined)) return false;
  return Object.entries(schema.properties ?? {}).every(
    ([key, s]) => record[key] === undefined || matches(s, record[key], defs),
  );
}
