import * as z from "zod/mini";

/** Odoo technical model name, e.g. `sale.order` or `x_custom.thing`. */
export const ModelName = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(128),
    z.regex(/^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$/, "must be an Odoo model name such as sale.order"),
  );

/** Model names written as one comma-separated string (`sale.order, res.partner`), as on a command line. */
export const ModelNameList = z.pipe(
  z.pipe(
    z.string(),
    z.transform((text: string) =>
      text
        .split(",")
        .map((name) => name.trim())
        .filter((name) => name !== ""),
    ),
  ),
  z.array(ModelName).check(z.minLength(1, "name at least one model")),
);

export const Operation = z.enum(["create", "write", "unlink"]);
export const Priority = z.enum(["high", "medium", "low"]);
export const Category = z.enum(["business", "system", "notification", "custom"]);
export const AppType = z.enum([
  "sales_app",
  "delivery_app",
  "warehouse_app",
  "manager_app",
  "mobile_app",
]);

/**
 * A timestamp as Odoo writes it: naive UTC, second precision (`2025-11-29T10:15:02`); the REST
 * API's own `timestamp` adds microseconds, and `default=str` serialisation uses a space.
 * An explicit `Z` or offset is accepted too.
 */
export const OdooTimestamp = z.string().check(
  z.regex(
    /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?$/,
    // `abort`: a malformed string gets this one message, not the calendar check's as well.
    { message: "must be an Odoo timestamp such as 2025-11-29T10:15:02", abort: true },
  ),
  // The pattern alone lets impossible dates (month 13, February 30) through; normalization would
  // then throw (or silently roll over) after validation instead of answering 400 here.
  z.refine((value) => parseOdooTime(value) !== null, "must be a real calendar date and time"),
);

/** Naive UTC (Odoo's convention) to ISO 8601 with `Z`, millisecond precision. */
export function odooTimeToIso(value: string): string {
  const parsed = parseOdooTime(value);
  if (parsed === null) throw new Error(`not an Odoo timestamp: ${value}`);
  return parsed.iso;
}

const ODOO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))?$/;

type Parsed = { iso: string; fraction: string } | null;

/**
 * The last timestamp parsed and its result: validation parses a push's timestamp and
 * normalization parses the same string right after, so the second parse is free.
 */
let last: { value: string; parsed: Parsed } = { value: "", parsed: null };

/**
 * ISO 8601 UTC with `Z`, and the fractional digits as written, or null unless `value` is a
 * well-formed, real date and time.
 */
function parseOdooTime(value: string): Parsed {
  if (value !== last.value) last = { value, parsed: parseUncached(value) };
  return last.parsed;
}

function parseUncached(value: string): Parsed {
  const match = ODOO_TIME.exec(value);
  if (match === null) return null;
  const part = (index: number) => Number(match[index] ?? 0);
  const [year, month, day] = [part(1), part(2), part(3)];
  const [hour, minute, second] = [part(4), part(5), part(6)];
  const fraction = match[7] ?? "";
  // Years 0-99 would be 1900-1999 to Date.UTC; February 30 would roll over to March 2.
  const real =
    year >= 100 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59;
  const [offsetHours, offsetMinutes] = [part(10), part(11)];
  if (!real || offsetHours > 23 || offsetMinutes > 59) return null;
  const millis = fraction.padEnd(3, "0").slice(0, 3);
  // UTC as written (Odoo's case): the ISO form is its own parts, no Date needed.
  if (match[9] === undefined) {
    const [, y, mo, d, h, mi, s] = match;
    return { iso: `${y}-${mo}-${d}T${h}:${mi}:${s}.${millis}Z`, fraction };
  }
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, Number(millis));
  const offset = (match[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return { iso: new Date(wall - offset).toISOString(), fraction };
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
}

/**
 * A record's version as Odoo gives it: its `write_date` (naive UTC, microseconds on Odoo 18) as
 * ISO 8601 UTC with exactly six fractional digits, so that versions compare as strings in time
 * order. Null when the snapshot has no readable `write_date`.
 */
export function recordVersion(writeDate: unknown): string | null {
  if (typeof writeDate !== "string") return null;
  const parsed = parseOdooTime(writeDate);
  if (parsed === null) return null;
  const micros = parsed.fraction.padEnd(6, "0").slice(0, 6);
  // Whole seconds from the parsed UTC time; the sub-second digits as Odoo wrote them.
  return `${parsed.iso.slice(0, 19)}.${micros}Z`;
}

/** Odoo record ids: any non-zero integer (the module's SQL check; test events use -1). */
export const RecordId = z.number().check(
  z.int(),
  z.refine((n) => n !== 0, "must not be 0"),
);

export const OdooId = z.number().check(z.int(), z.positive());

/** A stored payload dict (reference §3.5): Odoo field names to raw values. */
export const OdooPayload = z.record(z.string(), z.unknown());
export type OdooPayload = z.infer<typeof OdooPayload>;

/**
 * The payload dict inside what Odoo sends (push bodies, pulled rows): any JSON object, checked
 * and kept as it came. `OdooPayload` (a record schema, which the hub's event uses for its JSON
 * Schema) would rebuild every payload key by key only for the copy to be thrown away: about
 * 2 µs and 14 fields of garbage per pulled row (BENCHMARKS.md, Profile).
 */
export const OdooPayloadBody = z.custom<OdooPayload>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  { message: "must be a JSON object" },
);

export const NonNegativeInt = z.number().check(z.int(), z.nonnegative());

/** A device id, trimmed: 3 to 255 characters (the module refuses shorter `device_id`s). */
/** An ISO 8601 UTC instant, e.g. a token's expiry; one schema, so the wire checks share it. */
export const IsoDateTime = z.iso.datetime();

export const DeviceId = z.string().check(z.trim(), z.minLength(3), z.maxLength(255));
