import type { JsonSchema, JsonSchemaDefs } from "./json-schema-subset.js";

/*
 * Checks values against the JSON Schema subset of json-schema-subset.ts. The browser client
 * checks the hub's messages against schemas derived from the protocol's zod schemas without
 * shipping zod: minified, this interpreter and the schema data weigh about 3.6 KB, zod/mini for
 * the same schemas about 29 KB.
 */

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
      // A safe integer, as zod's int(): wire-schemas-derive.ts drops the ±(2^53 - 1) bounds.
      return Number.isSafeInteger(value);
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
    (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
  );
}

function arrayMatches(schema: JsonSchema, value: unknown[], defs: JsonSchemaDefs): boolean {
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
