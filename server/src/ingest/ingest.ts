import { digest, type DuplicateReason, type EventDraft } from "@odoo-live/protocol";
import type { Tenant } from "../config/tenants.js";
import { nativeHash } from "./native-hash.js";
import type { DedupeInput } from "../log/dedupe-window.js";
import type { AppendInput, AppendResult, EventLog } from "../log/event-log.js";
import type { Logger } from "../ops/logger.js";
import type { Metrics } from "../ops/metrics.js";
import { routedUsers, TooManyUsers } from "../routing/routes.js";

/** How a change reached the hub: pushed, pulled, or read from the ledger for a catch-up. */
export type Source = "push" | "pull" | "catchup";

/** Odoo stamps one change's `webhook.event` and `update.webhook` rows within this many seconds. */
const STAMP_TOLERANCE_S = 2;

/**
 * What a change is remembered by: the Odoo row that carried it (the same `webhook.event` sent in
 * both push shapes, a pull row read twice), and its content at the second it was stamped, which
 * matches the same content stamped up to STAMP_TOLERANCE_S apart (push and pull rows of one
 * change). Odoo drops a record's writes less than 3 s apart, so genuine repeats of a payload
 * (rules with `tracked_fields`) fall outside it and are kept.
 */
export function dedupeKeys(draft: EventDraft): DedupeInput {
  const content = digest(
    [draft.model, draft.recordId, draft.op, draft.record, draft.changedFields],
    nativeHash,
  );
  const rows: string[] = [];
  if (draft.origin.webhookEventId !== undefined) rows.push(`whe:${draft.origin.webhookEventId}`);
  if (draft.origin.updateWebhookId !== undefined) rows.push(`uw:${draft.origin.updateWebhookId}`);
  const second = Math.floor(Date.parse(draft.at) / 1000);
  return { rows, content: { key: `c:${content}`, second, within: STAMP_TOLERANCE_S } };
}

/** Why an append was a duplicate, from the key (of dedupeKeys) the log found. */
export function duplicateReason(key: string): { reason: DuplicateReason; message: string } {
  const [kind, id] = key.split(":");
  if (kind === "whe") {
    const message = `webhook.event ${id} is already in the log (Odoo's cron resends instant pushes)`;
    return { reason: "same_webhook_event", message };
  }
  if (kind === "uw") {
    return { reason: "same_ledger_row", message: `update.webhook row ${id} is already in the log` };
  }
  const message =
    `the log already holds this change (same model, record, operation and values, ` +
    `stamped within ${STAMP_TOLERANCE_S} s): it arrived by pull or under another webhook.event id`;
  return { reason: "same_content", message };
}

/** A normalized change; `coverage` as in AppendInput. */
export interface Change {
  draft: EventDraft;
  coverage?: number | undefined;
}

export interface IngestLimits {
  /** Most users one event may be routed to (HUB_MAX_ROUTED_USERS). */
  maxRoutedUsers: number;
}

/** The one path from a normalized change to the log, whichever way it arrived. */
export class Ingestor {
  constructor(
    private readonly log: EventLog,
    private readonly tenants: ReadonlyMap<string, Tenant>,
    private readonly metrics: Metrics,
    private readonly limits: IngestLimits,
    private readonly logger: Logger,
  ) {}

  /** `coverage`: every ledger row up to it is in the log once this change is (see AppendInput). */
  async ingest(draft: EventDraft, source: Source, coverage?: number): Promise<AppendResult> {
    const [result] = await this.ingestMany(draft.tenant, [{ draft, coverage }], source);
    if (result === undefined) throw new Error("the log answered no result");
    return result;
  }

  /**
   * Changes of one tenant, logged in order as `ingest` would log them one by one (a pulled page),
   * in one log call.
   */
  async ingestMany(
    tenantId: string,
    changes: readonly Change[],
    source: Source,
  ): Promise<AppendResult[]> {
    const tenant = this.tenants.get(tenantId);
    if (tenant === undefined) throw new Error(`unknown tenant ${tenantId}`);
    const inputs = changes.map(({ draft, coverage }): AppendInput => {
      if (draft.tenant !== tenantId) throw new Error(`a change of ${draft.tenant} in ${tenantId}`);
      return {
        draft,
        uids: this.usersOf(tenant, draft, source),
        dedupe: dedupeKeys(draft),
        // A catch-up's rows are older than what the log's live devices already have: history.
        history: source === "catchup",
        coverage,
      };
    });
    if (inputs.length === 0) return [];
    const results = await this.log.appendMany(tenantId, inputs);
    let appended = 0;
    for (const result of results) if (result.status === "appended") appended++;
    const counted = { tenant: tenantId, source };
    if (appended > 0) this.metrics.ingested.inc({ ...counted, result: "appended" }, appended);
    const duplicates = results.length - appended;
    if (duplicates > 0) this.metrics.ingested.inc({ ...counted, result: "duplicate" }, duplicates);
    return results;
  }

  /**
   * A push naming too many users is refused (TooManyUsers, a 400). A pulled row is Odoo's own
   * record of the change and nothing would send it again: it is logged, for model subscribers only.
   */
  private usersOf(tenant: Tenant, draft: EventDraft, source: Source): number[] {
    try {
      return routedUsers(tenant.routes, draft.model, draft.record, this.limits.maxRoutedUsers);
    } catch (error) {
      if (source === "push" || !(error instanceof TooManyUsers)) throw error;
      const { model, recordId } = draft;
      this.logger.warn(
        { tenant: draft.tenant, model, recordId, reason: error.message },
        "pulled change routed to nobody: it names too many users",
      );
      return [];
    }
  }
}
