/**
 * Python's `json` module, as far as clients can tell: `json.dumps` spacing and escaping, and
 * `json.loads` error texts (the module quotes them in its 400 answers).
 */

export interface DumpsOptions {
  /** `indent=`: the REST API uses 2; JSON-RPC and `requests` use none. */
  indent?: number;
  /** `ensure_ascii` (Python's default): every character above 0x7E as `\uXXXX`. */
  ensureAscii?: boolean;
}

/**
 * `json.dumps(value)`. Without indent Python separates with ", " and ": " (JS with nothing);
 * with indent the layout is JSON.stringify's.
 */
export function pyDumps(value: unknown, options: DumpsOptions = {}): string {
  const { indent, ensureAscii = true } = options;
  const text = indent === undefined ? compact(value) : JSON.stringify(value, null, indent);
  // JSON.stringify already escapes control characters; what is left above 0x7E can only sit
  // inside strings, so escaping the whole text is safe.
  return ensureAscii ? text.replace(/[\u007f-\uffff]/g, escapeChar) : text;
}

function escapeChar(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

function compact(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(compact).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const items = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}: ${compact(v)}`);
    return `{${items.join(", ")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** `json.loads(text)`: a JSON value, or Python's JSONDecodeError text. */
export function pyLoads(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: decodeErrorText(text, (error as Error).message) };
  }
}

/** Python's wording for V8's JSON.parse messages, with Python's "line L column C (char N)". */
function decodeErrorText(text: string, v8Message: string): string {
  const at = /at position (\d+)/.exec(v8Message);
  const firstNonSpace = text.search(/\S/);
  const position = at ? Number(at[1]) : firstNonSpace === -1 ? text.length : firstNonSpace;
  const kind = /after JSON/.test(v8Message)
    ? "Extra data"
    : /property name/.test(v8Message)
      ? "Expecting property name enclosed in double quotes"
      : "Expecting value";
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - before.lastIndexOf("\n");
  return `${kind}: line ${line} column ${column} (char ${position})`;
}
