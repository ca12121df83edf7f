import type { Board, Order } from "./board.js";

const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const time = new Intl.DateTimeFormat("en-GB", { timeStyle: "medium" });

/** Orders that count towards a salesperson's total. */
const OPEN_OR_WON = new Set(["draft", "sent", "sale", "done"]);

interface Column {
  key: string;
  name: string;
  orders: Order[];
}

/** The board as one card per salesperson, each order one row, the latest change first. */
export function renderBoard(root: HTMLElement, board: Board, fresh: ReadonlySet<number>): void {
  const columns = bySalesperson(Object.values(board.orders));
  root.replaceChildren(...columns.map((column) => card(column, fresh)));
  if (columns.length === 0) {
    root.append(el("p", "empty", "No sale orders yet: changes appear here as Odoo makes them."));
  }
}

/** The figures above the board. */
export function renderSummary(root: HTMLElement, board: Board): void {
  const orders = Object.values(board.orders);
  const latest = orders.reduce((max, o) => (o.at > max ? o.at : max), "");
  const figures: [string, string][] = [
    ["orders", String(orders.length)],
    ["salespeople", String(new Set(orders.map((o) => o.salesperson.id)).size)],
    ["pipeline", money.format(sum(orders))],
    ["changes applied", String(board.applied)],
    ["last change", latest === "" ? "–" : time.format(new Date(latest))],
  ];
  root.dataset["applied"] = String(board.applied);
  root.replaceChildren(
    ...figures.map(([label, value]) => {
      const figure = el("div", "figure");
      figure.append(el("span", "value", value), el("span", "label", label));
      return figure;
    }),
  );
}

function bySalesperson(orders: Order[]): Column[] {
  const columns = new Map<string, Column>();
  for (const order of orders) {
    const key = String(order.salesperson.id);
    const name = order.salesperson.name || "Unassigned";
    const column = columns.get(key) ?? { key, name, orders: [] };
    column.orders.push(order);
    columns.set(key, column);
  }
  for (const column of columns.values()) column.orders.sort((a, b) => b.at.localeCompare(a.at));
  return [...columns.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function card(column: Column, fresh: ReadonlySet<number>): HTMLElement {
  const section = el("section", "card");
  section.dataset["salesperson"] = column.key;
  const header = el("header");
  const who = el("div", "who");
  who.append(el("span", "avatar", initials(column.name)), el("h2", undefined, column.name));
  const stats = el("div", "stats");
  stats.append(
    el("span", "count", plural(column.orders.length, "order")),
    el("span", "total", money.format(sum(column.orders))),
  );
  header.append(who, stats);
  const table = el("table");
  const head = el("tr");
  for (const title of ["Order", "Customer", "Status", "Amount", "Updated"]) {
    head.append(el("th", undefined, title));
  }
  table.append(el("thead"), el("tbody"));
  table.tHead?.append(head);
  table.tBodies[0]?.append(...column.orders.map((order) => row(order, fresh.has(order.id))));
  const scroller = el("div", "rows");
  scroller.append(table);
  section.append(header, scroller);
  return section;
}

function row(order: Order, fresh: boolean): HTMLElement {
  const tr = el("tr", fresh ? "fresh" : undefined);
  Object.assign(tr.dataset, {
    orderId: String(order.id),
    state: order.state,
    amount: String(order.amount),
    changes: String(order.changes),
    salesperson: String(order.salesperson.id),
  });
  const status = el("span", `badge ${order.state}`, order.state || "–");
  const cells = [
    el("td", "name", order.name),
    el("td", "customer", order.customer),
    el("td"),
    el("td", "amount", money.format(order.amount)),
    el("td", "updated", time.format(new Date(order.at))),
  ];
  cells[2]?.append(status);
  tr.append(...cells);
  tr.title = `${order.changes} change(s) received`;
  return tr;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function sum(orders: Order[]): number {
  return orders.reduce((total, o) => total + (OPEN_OR_WON.has(o.state) ? o.amount : 0), 0);
}

function initials(name: string): string {
  const parts = name.split(/\s+/).filter(Boolean);
  return (
    parts
      .map((p) => p[0]?.toUpperCase() ?? "")
      .join("")
      .slice(0, 2) || "?"
  );
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className !== undefined) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}
