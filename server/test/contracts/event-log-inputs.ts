/** What the EventLog contracts build their logs and inputs from. */
import type { EventDraft } from "@odoo-live/protocol";
import { afterEach } from "vitest";
import type { AppendInput, EventLog, Retention } from "../../src/log/event-log.js";

export interface EventLogFactoryOptions {
  retention: Retention;
  dedupeMs: number;
  /** Most dedupe keys per tenant; absent: the implementation's default. */
  dedupeMaxKeys?: number;
  now: () => number;
}

export type EventLogFactory = (options: EventLogFactoryOptions) => Promise<EventLog>;

/**
 * Opens logs from `factory` with the contracts' defaults (an hour of retention and dedupe, the
 * real clock) and closes them after each test. Call it inside a `describe`.
 */
export function logOpener(factory: EventLogFactory) {
  const opened: EventLog[] = [];
  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close();
  });
  return async (options: Partial<EventLogFactoryOptions> = {}): Promise<EventLog> => {
    const log = await factory({
      retention: { maxCount: 1000, maxAgeMs: 3_600_000 },
      dedupeMs: 3_600_000,
      now: Date.now,
      ...options,
    });
    opened.push(log);
    return log;
  };
}

let counter = 0;

/** A tenant id no other test (or earlier run against shared storage) uses. */
export function freshTenant(label = "t"): string {
  return `${label}-${process.pid}-${Date.now().toString(36)}-${++counter}`;
}

/** A distinct change of `model` for `tenant`, as the ingest path would hand it to a log. */
export function draft(tenant: string, model: string): EventDraft {
  const n = ++counter;
  return {
    id: n.toString(16).padStart(32, "0"),
    tenant,
    model,
    recordId: n,
    op: "write",
    at: "2025-11-29T10:15:02.000Z",
    version: null,
    priority: "medium",
    category: "business",
    actorUid: null,
    changedFields: ["state"],
    record: { id: n, name: `R${n}`, user_id: false },
    origin: { webhookEventId: n },
  };
}

export function input(
  tenant: string,
  model: string,
  uids: number[] = [],
  dedupeKeys?: string[],
): AppendInput {
  const d = draft(tenant, model);
  const keys = dedupeKeys ?? [`id:${d.id}`];
  return { draft: d, uids, dedupe: { rows: keys } };
}
