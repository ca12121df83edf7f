import { recordChange, type ChangeDeps } from "./changes.js";
import { recordPayload } from "./payload.js";

/** The journals the accounting install creates (ids 1-8), in order. */
const JOURNALS = [
  "Customer Invoices",
  "Vendor Bills",
  "Miscellaneous Operations",
  "Exchange Difference",
  "Cash Basis Taxes",
  "Bank",
  "Cash",
  "Inventory Valuation",
];

/**
 * What installing auto_webhook 3.1.0 leaves in `update.webhook` (seen on Odoo 18.0-20250702
 * with `--without-demo=all`): the company's partner written (its country), then the 8 default
 * journals created, all by OdooBot. Called before any subscriber exists, so nothing is pushed.
 */
export function writeInstallRows(deps: ChangeDeps): void {
  const at = deps.now();
  const userId = deps.users.has(1) ? 1 : null;
  const change = (model: string, recordId: number, op: "create" | "write", name: string) => {
    const changedFields = op === "write" ? ["country_id"] : [];
    const fields = {};
    const payload = recordPayload({
      model,
      recordId,
      op,
      at,
      createdAt: at,
      name,
      fields,
      changedFields,
    });
    recordChange(deps, { model, recordId, op, payload, userId });
  };
  change("res.partner", 1, "write", "My Company");
  JOURNALS.forEach((name, i) => change("account.journal", i + 1, "create", name));
}
