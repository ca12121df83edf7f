import type { OdooPayload } from "@odoo-live/protocol";
import type { Route } from "../config/tenants.js";

/** Odoo record ids are Postgres `integer`s. */
const MAX_ODOO_ID = 2_147_483_647;

/** A record that names more users than the bound; the message says how many, where and the bound. */
export class TooManyUsers extends Error {}

/**
 * The users a tenant's routes name in a record snapshot. A route's field may hold a many2one
 * (`{id, name}`), an x2many list of those (or of ids), or a bare id; `false` (Odoo's empty value)
 * names nobody. More than `max` users throws TooManyUsers: each one costs the log an index entry.
 */
export function routedUsers(
  routes: readonly Route[],
  model: string,
  record: OdooPayload,
  max = Infinity,
): number[] {
  const applying = routes.filter((r) => r.models === undefined || r.models.includes(model));
  const uids = new Set<number>();
  for (const route of applying) {
    for (const uid of idsIn(valueAt(record, route.field))) uids.add(uid);
  }
  if (uids.size > max) {
    const fields = applying.map((r) => r.field).join(", ");
    throw new TooManyUsers(
      `the record names ${uids.size} users in its routes (${fields}); at most ${max} (HUB_MAX_ROUTED_USERS)`,
    );
  }
  return [...uids];
}

function valueAt(record: OdooPayload, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** One level of list only: an x2many holds many2ones or ids, never lists. */
function idsIn(value: unknown): number[] {
  const items = Array.isArray(value) ? (value as unknown[]) : [value];
  return items.flatMap((item) => {
    const id = typeof item === "object" && item !== null && "id" in item ? item.id : item;
    return isUserId(id) ? [id] : [];
  });
}

function isUserId(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 && value <= MAX_ODOO_ID;
}
