import type { OdooPayload } from "@odoo-live/protocol";
import type { Route } from "../config/tenants.js";

/**
 * The users a tenant's routes name in a record snapshot. A route's field may hold a many2one
 * (`{id, name}`), an x2many list of those, or a bare id; `false` (Odoo's empty value) names nobody.
 */
export function routedUsers(
  routes: readonly Route[],
  model: string,
  record: OdooPayload,
): number[] {
  const uids = new Set<number>();
  for (const route of routes) {
    if (route.models !== undefined && !route.models.includes(model)) continue;
    for (const uid of idsIn(valueAt(record, route.field))) uids.add(uid);
  }
  return [...uids];
}

function valueAt(record: OdooPayload, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function idsIn(value: unknown): number[] {
  if (Array.isArray(value)) return value.flatMap(idsIn);
  if (isUserId(value)) return [value];
  if (typeof value === "object" && value !== null && "id" in value) {
    const id = value.id;
    return isUserId(id) ? [id] : [];
  }
  return [];
}

function isUserId(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}
