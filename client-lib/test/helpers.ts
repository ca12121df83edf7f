import type { NormalizedEvent } from "@odoo-live/protocol";

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A well-formed event at position `seq`; `id` defaults to one derived from seq. */
export function makeEvent(seq: number, id = seq.toString(16).padStart(32, "0")): NormalizedEvent {
  return {
    id,
    seq,
    cursor: `c${seq}`,
    tenant: "default",
    model: "sale.order",
    recordId: seq,
    op: "write",
    at: "2025-11-29T10:15:02.000Z",
    version: null,
    priority: "high",
    category: "business",
    actorUid: null,
    changedFields: ["state"],
    record: { id: seq, state: "sale" },
    origin: { webhookEventId: seq },
  };
}
