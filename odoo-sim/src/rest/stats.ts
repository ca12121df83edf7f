import { Priority } from "@odoo-live/protocol";
import { naiveIsoMicros } from "../odoo-time.js";
import { pyGet, pyInt } from "../py.js";
import type { LedgerRow } from "../types.js";
import type { RestDeps } from "./deps.js";
import type { DataHandler } from "./endpoint.js";
import { odooJson } from "./respond.js";

const DAY_MS = 86_400_000;

/** `GET /api/webhooks/stats?days=7` (reference §5.5): counts over rows of the last `days`. */
export function stats(deps: RestDeps): DataHandler {
  return (data) => {
    const days = pyInt(pyGet(data, "days", 7));
    const now = deps.now();
    const since = now.getTime() - days * DAY_MS;
    const rows = deps.ledger.all().filter((row) => row.timestamp.getTime() >= since);
    const stats = {
      period_days: days,
      total: rows.length,
      processed: rows.filter((row) => row.is_processed).length,
      pending: rows.filter((row) => !row.is_processed && !row.is_archived).length,
      archived: rows.filter((row) => row.is_archived).length,
      by_model: byModel(rows),
      by_priority: byPriority(rows),
    };
    return odooJson({ success: true, stats, timestamp: naiveIsoMicros(now) });
  };
}

/** The top 10 models by count: `[{model, count}]` only. */
function byModel(rows: readonly LedgerRow[]): { model: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.model, (counts.get(row.model) ?? 0) + 1);
  return [...counts]
    .map(([model, count]) => ({ model, count }))
    .sort((a, b) => b.count - a.count || a.model.localeCompare(b.model))
    .slice(0, 10);
}

/** Grouped counts: priorities without rows are absent. */
function byPriority(rows: readonly LedgerRow[]): Record<string, number> {
  const counts = Priority.options.map(
    (p) => [p, rows.filter((r) => r.priority === p).length] as const,
  );
  return Object.fromEntries(counts.filter(([, count]) => count !== 0));
}
