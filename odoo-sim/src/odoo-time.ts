/** How Odoo writes times: naive UTC (its processes run in UTC), in three different formats. */

/** `fields.Datetime.now()`: whole seconds. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** `datetime.isoformat()` of a stored Datetime: `2025-11-29T10:15:02`. */
export function naiveIso(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** `str(datetime)` (JSON `default=str`, and JSON-RPC reads): `2025-11-29 10:15:02`. */
export function naiveSpaced(date: Date): string {
  return naiveIso(date).replace("T", " ");
}

/**
 * `datetime.now().isoformat()`: microseconds, which Python omits when they are zero
 * (`2025-11-29T10:16:03.512000`, but `2025-11-29T10:16:03`).
 */
export function naiveIsoMicros(date: Date): string {
  const millis = date.getUTCMilliseconds();
  const seconds = naiveIso(date);
  return millis === 0 ? seconds : `${seconds}.${String(millis).padStart(3, "0")}000`;
}
