import type { EventDraft } from "@odoo-live/protocol";
import type { Tenant } from "../config/tenants.js";
import type { AppendResult, EventLog } from "../log/event-log.js";
import type { Metrics } from "../ops/metrics.js";
import { routedUsers } from "../routing/routes.js";

export type Source = "push" | "pull";

/**
 * Keys under which a change is remembered: its content identity (the same change by push and by
 * pull), and the Odoo row that carried it (the same `webhook.event` sent in both push shapes).
 */
export function dedupeKeys(draft: EventDraft): string[] {
  const keys = [`id:${draft.id}`];
  if (draft.origin.webhookEventId !== undefined) keys.push(`whe:${draft.origin.webhookEventId}`);
  if (draft.origin.updateWebhookId !== undefined) keys.push(`uw:${draft.origin.updateWebhookId}`);
  return keys;
}

/** The one path from a normalized change to the log, whichever way it arrived. */
export class Ingestor {
  constructor(
    private readonly log: EventLog,
    private readonly tenants: ReadonlyMap<string, Tenant>,
    private readonly metrics: Metrics,
  ) {}

  async ingest(draft: EventDraft, source: Source): Promise<AppendResult> {
    const tenant = this.tenants.get(draft.tenant);
    if (tenant === undefined) throw new Error(`unknown tenant ${draft.tenant}`);
    const uids = routedUsers(tenant.routes, draft.model, draft.record);
    const result = await this.log.append(draft.tenant, {
      draft,
      uids,
      dedupeKeys: dedupeKeys(draft),
    });
    this.metrics.ingested.inc({ tenant: draft.tenant, source, result: result.status });
    return result;
  }
}
