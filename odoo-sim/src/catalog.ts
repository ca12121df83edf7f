import type { PriorityValue } from "./types.js";

interface ModelInfo {
  /** Prefix of the default rules' names, e.g. "Sale Orders - Update". */
  label: string;
  /** Its default rules have `instant_send` (pushed after commit); the others wait for the cron. */
  instant?: true;
  /** The default `webhook.config` priority (copied onto update.webhook rows). */
  priority: PriorityValue;
  /** The record's display name, as Odoo's sequences name them. */
  name(id: number, at: Date): string;
}

const pad = (id: number) => String(id).padStart(5, "0");
const year = (at: Date) => at.getUTCFullYear();

/**
 * The 12 models with default rules (reference §3.4), in the order their create/update rule
 * pairs were installed, which gives the rules' ids; labels as the installed rules name them.
 */
const DEFAULT_RULE_MODELS: ReadonlyMap<string, ModelInfo> = new Map([
  [
    "sale.order",
    { label: "Sale Orders", priority: "high", instant: true, name: (id) => `S${pad(id)}` },
  ],
  [
    "purchase.order",
    { label: "Purchase Orders", priority: "high", instant: true, name: (id) => `P${pad(id)}` },
  ],
  [
    "account.move",
    {
      label: "Account Moves",
      priority: "high",
      instant: true,
      name: (id, at) => `INV/${year(at)}/${pad(id)}`,
    },
  ],
  [
    "account.payment",
    {
      label: "Account Payments",
      priority: "high",
      instant: true,
      name: (id, at) => `PBNK1/${year(at)}/${pad(id)}`,
    },
  ],
  ["res.partner", { label: "Partners", priority: "medium", name: (id) => `Partner ${id}` }],
  [
    "stock.picking",
    { label: "Stock Picking", priority: "medium", name: (id) => `WH/OUT/${pad(id)}` },
  ],
  ["stock.move", { label: "Stock Move", priority: "medium", name: (id) => `Move ${id}` }],
  ["hr.expense", { label: "HR Expenses", priority: "medium", name: (id) => `Expense ${id}` }],
  ["hr.employee", { label: "HR Employees", priority: "medium", name: (id) => `Employee ${id}` }],
  ["product.template", { label: "Products", priority: "low", name: (id) => `Product ${id}` }],
  [
    "product.category",
    { label: "Product Categories", priority: "medium", name: (id) => `Category ${id}` },
  ],
  [
    "account.journal",
    { label: "Account Journals", priority: "medium", name: (id) => `Journal ${id}` },
  ],
] satisfies [string, ModelInfo][]);

function genericInfo(model: string): ModelInfo {
  const label = model
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
  return { label, priority: "medium", name: (id) => `${label} ${id}` };
}

export function modelInfo(model: string): ModelInfo {
  return DEFAULT_RULE_MODELS.get(model) ?? genericInfo(model);
}

/** The default rule for a create or write on one of the 12 models; others go the config path. */
export function defaultRule(
  model: string,
  op: "create" | "write" | "unlink",
): { id: number; name: string } | undefined {
  if (op === "unlink") return undefined;
  const index = [...DEFAULT_RULE_MODELS.keys()].indexOf(model);
  const info = DEFAULT_RULE_MODELS.get(model);
  if (info === undefined) return undefined;
  return {
    id: index * 2 + (op === "create" ? 1 : 2),
    name: `${info.label} - ${op === "create" ? "Create" : "Update"}`,
  };
}

/**
 * How the shipped configuration pushes a change (reference §3.3-3.4, checked on a real Odoo):
 * creates and writes of the 4 high-priority models are sent at once (rules with
 * `instant_send`), those of the other default-rule models by the cron only. Unlinks have no
 * rule: they follow the model's config, sent at once for the high models, not at all for the
 * others (their configs lack `instant_send`, so no `webhook.event` is created). Models without
 * a default rule take the config path with a medium priority: the cron sends them.
 */
export function pushPath(model: string, op: "create" | "write" | "unlink"): PushPath {
  const info = DEFAULT_RULE_MODELS.get(model);
  if (info === undefined) return "cron";
  if (info.instant === true) return "instant";
  return op === "unlink" ? "none" : "cron";
}

export type PushPath = "instant" | "cron" | "none";
