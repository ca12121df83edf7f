/**
 * Key and channel names of one tenant's log in Redis. The tenant is the hash tag, so all of a
 * tenant's keys hash to one Redis Cluster slot and a single Lua script may touch them all.
 */
export interface TenantKeys {
  /** What every name starts with; the scripts build index keys from it (see `model`, `user`). */
  base: string;
  /** The log's lifetime: a random id, recreated (never reused) when Redis lost it. */
  epoch: string;
  /** The last seq assigned. */
  seq: string;
  /** Hash seq → the event's JSON, as clients receive it. */
  events: string;
  /** Hash seq → `{at, model, uids}` JSON: what trimming needs without parsing the event. */
  entries: string;
  /** Hash seq → the event's Odoo ledger row (`update.webhook` id), when known. */
  ledger: string;
  /** Hash: `trimmedThrough` (seq) and `trimmedLedger` (ledger id or "inf"). */
  meta: string;
  /** Hash dedupe key → seq of the event that carried it. */
  dedupe: string;
  /** Sorted set of dedupe keys scored by their expiry (ms, the log's clock). */
  dedupeExpiry: string;
  /** Sorted set of zero-padded ledger ids scored by the head seq when they were marked. */
  marks: string;
  /** Pub/Sub channel of the tenant's live events. */
  channel: string;
  /** Sorted set of the seqs of a model's events (score = seq). */
  model(model: string): string;
  /** Sorted set of the seqs of events routed to a user (score = seq). */
  user(uid: number): string;
}

/** The Lua scripts build `model:` and `user:` keys from `base` the same way. */
export function tenantKeys(prefix: string, tenant: string): TenantKeys {
  const base = `${prefix}{${tenant}}:`;
  return {
    base,
    epoch: `${base}epoch`,
    seq: `${base}seq`,
    events: `${base}events`,
    entries: `${base}entries`,
    ledger: `${base}ledger`,
    meta: `${base}meta`,
    dedupe: `${base}dedupe`,
    dedupeExpiry: `${base}dedupe-expiry`,
    marks: `${base}marks`,
    channel: `${base}live`,
    model: (model) => `${base}model:${model}`,
    user: (uid) => `${base}user:${uid}`,
  };
}
