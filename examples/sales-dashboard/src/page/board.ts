import type { NormalizedEvent } from "@odoo-live/protocol";

/** A sale order as the dashboard shows it: the fields it uses from the latest snapshot. */
export interface Order {
  id: number;
  name: string;
  state: string;
  customer: string;
  amount: number;
  salesperson: Salesperson;
  /** When its latest change happened (the event's `at`). */
  at: string;
  /** Changes of this order the dashboard applied (each event once). */
  changes: number;
  /** The id of the event its snapshot comes from: the same event again changes nothing. */
  eventId: string;
}

/** The record's `user_id` many2one; id false when the order has no salesperson. */
export interface Salesperson {
  id: number | false;
  name: string;
}

/** Every order seen, by record id, and how many events were applied. */
export interface Board {
  orders: Record<string, Order>;
  applied: number;
}

/** A bound on what the board keeps (and stores in localStorage): the orders changed last. */
const MAX_ORDERS = 2000;

export function emptyBoard(): Board {
  return { orders: {}, applied: 0 };
}

/**
 * Applies one event: every event carries the record's full snapshot, so the latest one replaces
 * the order, and an `unlink` removes it. An event marked `stale` (an older version of the record
 * that arrived after a newer one) is ignored, as is the same event twice. Returns whether the
 * board changed.
 */
export function applyEvent(board: Board, event: NormalizedEvent): boolean {
  if (event.model !== "sale.order" || event.stale === true) return false;
  const key = String(event.recordId);
  const previous = board.orders[key];
  if (previous?.eventId === event.id) return false;
  board.applied += 1;
  if (event.op === "unlink") {
    delete board.orders[key];
    return true;
  }
  board.orders[key] = toOrder(event, (previous?.changes ?? 0) + 1);
  trim(board);
  return true;
}

function toOrder(event: NormalizedEvent, changes: number): Order {
  const record = event.record;
  return {
    id: event.recordId,
    name: typeof record["name"] === "string" ? record["name"] : `#${event.recordId}`,
    state: typeof record["state"] === "string" ? record["state"] : "",
    customer: many2one(record["partner_id"])?.name ?? "",
    amount: typeof record["amount_total"] === "number" ? record["amount_total"] : 0,
    salesperson: many2one(record["user_id"]) ?? { id: false, name: "" },
    at: event.at,
    changes,
    eventId: event.id,
  };
}

/** Odoo's `{id, name}` many2one, or `{id: false, name: ""}` / `false` when empty. */
function many2one(value: unknown): Salesperson | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { id, name } = value as { id?: unknown; name?: unknown };
  if (typeof id !== "number" && id !== false) return undefined;
  return { id, name: typeof name === "string" ? name : "" };
}

function trim(board: Board): void {
  const orders = Object.values(board.orders);
  if (orders.length <= MAX_ORDERS) return;
  orders.sort((a, b) => a.at.localeCompare(b.at));
  for (const order of orders.slice(0, orders.length - MAX_ORDERS)) {
    delete board.orders[String(order.id)];
  }
}
