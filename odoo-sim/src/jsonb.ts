import type { OdooPayload } from "@odoo-live/protocol";

/**
 * A value after a round trip through a Postgres `jsonb` column (Odoo's `fields.Json`): object
 * keys come back shortest first, then in byte order, at every depth. Both pushes and `/pull` read
 * the payload back from the database, so neither keeps the order the payload was built in.
 */
export function jsonbRoundTrip(payload: OdooPayload): OdooPayload {
  return reorder(payload) as OdooPayload;
}

function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).map(([k, v]) => [Buffer.from(k), k, reorder(v)] as const);
  entries.sort(([a], [b]) => a.length - b.length || Buffer.compare(a, b));
  return Object.fromEntries(entries.map(([, k, v]) => [k, v]));
}
