import { modelInfo, pushPath } from "./catalog.js";
import { jsonbRoundTrip } from "./jsonb.js";
import type { Ledger } from "./ledger.js";
import { wholeSeconds } from "./odoo-time.js";
import { defaultPayload } from "./payload.js";
import type { Pusher } from "./push/pusher.js";
import type { Timers } from "./timers.js";
import type { ChangeInput, ChangeResult, LedgerRow } from "./types.js";
import type { Users } from "./users.js";

export interface ChangeDeps {
  ledger: Ledger;
  pusher: Pusher;
  timers: Timers;
  users: Users;
  now: () => Date;
  /** The actor when the change names none: the RPC user. */
  defaultActor: number;
}

/**
 * What the module's ORM hook does inside a business transaction: INSERT one update.webhook row
 * (and a webhook.event row when a subscriber exists), which take their ids now; the rows become
 * visible, and the push starts, only when the transaction commits.
 */
export function recordChange(deps: ChangeDeps, input: ChangeInput): ChangeResult {
  if (input.recordId === 0)
    throw new RangeError("record_id must not be 0 (the module's SQL check)");
  const actor = input.userId === undefined ? deps.defaultActor : input.userId;
  if (actor !== null && !deps.users.has(actor))
    throw new RangeError(`res.users ${actor} does not exist`);
  const now = deps.now();
  const at = wholeSeconds(now);
  const owner = actor === null ? null : { id: actor, name: deps.users.name(actor) };
  const row: LedgerRow = {
    id: deps.ledger.allocateId(),
    model: input.model,
    record_id: input.recordId,
    event: input.op,
    payload: jsonbRoundTrip(
      input.payload ?? defaultPayload(input.model, input.recordId, input.op, now, owner),
    ),
    timestamp: at,
    user_id: actor,
    is_processed: false,
    processed_at: null,
    is_archived: false,
    archived_at: null,
    priority: input.priority ?? modelInfo(input.model).priority,
    category: input.category ?? "business",
  };
  const path = pushPath(input.model, input.op);
  const event = path === "none" ? undefined : deps.pusher.createEvent();
  const commit = () => {
    if (input.rollback === true) return;
    deps.ledger.commit(row);
    if (event !== undefined && path !== "none")
      deps.pusher.afterCommit(event, row, path, input.via ?? "web");
  };
  const delay = input.commitDelayMs ?? 0;
  let committed: Promise<void>;
  if (delay > 0) {
    // A simulator closed mid-transaction ends it too (nothing commits).
    committed = new Promise((resolve) => {
      const end = () => {
        commit();
        resolve();
      };
      deps.timers.after(delay, end, resolve);
    });
  } else {
    commit();
    committed = Promise.resolve();
  }
  return { updateWebhookId: row.id, webhookEventId: event?.id, committed };
}
