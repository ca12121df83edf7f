/**
 * Python semantics the module's controllers rely on. Their error answers quote Python's own
 * exception texts, and the status depends on the exception class (ValueError: 400, others: 500).
 */

/** A Python exception: its qualified class name (as JSON-RPC reports it) and `str(exc)`. */
export class PyError extends Error {
  constructor(
    readonly pyName: string,
    message: string,
  ) {
    super(message);
    this.name = pyName;
  }

  /** The controllers catch `ValueError` apart: "Invalid parameter" (400), not a 500. */
  get isValueError(): boolean {
    return this.pyName === "builtins.ValueError";
  }
}

/** `type(value).__name__` of a decoded JSON value. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "string") return "str";
  return Array.isArray(value) ? "list" : "dict";
}

/** `repr(value)` for the values error messages quote. */
export function pyRepr(value: unknown): string {
  if (typeof value === "string") {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const escaped = value.replaceAll("\\", "\\\\").replaceAll(quote, `\\${quote}`);
    return `${quote}${escaped.replaceAll("\n", "\\n").replaceAll("\t", "\\t")}${quote}`;
  }
  if (typeof value === "number") return String(value);
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  // What is left of a decoded JSON value is a dict.
  const items = Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`);
  return `{${items.join(", ")}}`;
}

/** Python truthiness: None, False, 0, "", [] and {} are false. */
export function pyTruthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string" || Array.isArray(value)) return value.length > 0;
  return Object.keys(value).length > 0;
}

const INT_LITERAL = /^\s*[+-]?\d+(?:_\d+)*\s*$/;

/** `int(value)`: numeric strings (spaces, sign, underscores), truncated floats, bools. */
export function pyInt(value: unknown): number {
  if (typeof value === "string") {
    if (!INT_LITERAL.test(value))
      throw new PyError(
        "builtins.ValueError",
        `invalid literal for int() with base 10: ${pyRepr(value)}`,
      );
    return Number.parseInt(value.replaceAll("_", "").trim(), 10);
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") {
    if (Number.isNaN(value))
      throw new PyError("builtins.ValueError", "cannot convert float NaN to integer");
    if (!Number.isFinite(value))
      throw new PyError("builtins.OverflowError", "cannot convert float infinity to integer");
    return Math.trunc(value);
  }
  throw new PyError(
    "builtins.TypeError",
    `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(value)}'`,
  );
}

export function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `data.get(key, fallback)`: the controllers call it on whatever the JSON body decoded to. */
export function pyGet(data: unknown, key: string, fallback: unknown = null): unknown {
  if (!isDict(data))
    throw new PyError(
      "builtins.AttributeError",
      `'${pyTypeName(data)}' object has no attribute 'get'`,
    );
  return Object.hasOwn(data, key) ? data[key] : fallback;
}

/** `value.strip()`. */
export function pyStrip(value: unknown): string {
  if (typeof value !== "string")
    throw new PyError(
      "builtins.AttributeError",
      `'${pyTypeName(value)}' object has no attribute 'strip'`,
    );
  return value.trim();
}
