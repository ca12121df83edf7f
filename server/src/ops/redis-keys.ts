/**
 * Every Redis key and channel name the hub uses, built here and nowhere else. Each name starts
 * with `${prefix}{tenant}:`: the braces are the Redis Cluster hash tag, so all of a tenant's keys
 * hash to one slot and one Lua script may touch them all. The tenant is URI-encoded, so that a
 * brace or a ':' in it can neither move the hash tag nor make two tenants share a key.
 */
export interface TenantKeys {
  /** What every name starts with; the log's scripts build index keys from it (`model`, `user`). */
  base: string;
  /** The log's lifetime: a random id, recreated (never reused) when Redis lost it. */
  epoch: string;
  /** The last seq assigned. */
  seq: string;
  /** Hash seq → the event's JSON, as clients receive it. */
  events: string;
  /**
   * Hash seq → `{at, model, uids, history?}` JSON: what trimming and a compacted read need
   * without parsing the event (entries written before this version also hold `record`, unread).
   */
  entries: string;
  /** Hash seq → the event's Odoo ledger row (`update.webhook` id), when known. */
  ledger: string;
  /**
   * Hash: `trimmedThrough` (seq), `trimmedLedger` (ledger id or "inf"), `from` (the lowest
   * ledger row the log holds from), `latestFrom` (the first seq of the per-record indexes),
   * `live` (the seq of the last event published live).
   */
  meta: string;
  /** Hash dedupe key → seq of the event that carried it. */
  dedupe: string;
  /** Sorted set of dedupe keys scored by their expiry (ms, the log's clock). */
  dedupeExpiry: string;
  /** Hash `model:id` → the newest version of the record in the log (`record-versions.ts`). */
  versions: string;
  /** Sorted set of those records scored by their expiry (as the dedupe keys). */
  versionsExpiry: string;
  /** Sorted set of zero-padded ledger ids scored by the head seq when they were marked. */
  marks: string;
  /** Sorted set of the seqs of history events (catch-up rows), scored by ledger row. */
  history: string;
  /** Pub/Sub channel of the tenant's live events: one message per append, a JSON array. */
  channel: string;
  /** Sorted set of the seqs of a model's events (score = seq). */
  model(model: string): string;
  /** Sorted set of the seqs of events routed to a user (score = seq). */
  user(uid: number): string;
  /**
   * Sorted set of a model's records ("model:id") scored by the seq of their latest event that
   * is not stale: a compacted read follows the records changed, not the events.
   */
  latestOfModel(model: string): string;
  /** The same for the events routed to a user. */
  latestOfUser(uid: number): string;
  // The append and trim scripts rebuild these four index names from `base` (the indexes an
  // event's entry names): keep event-log-append.lua and event-log-trim.lua in step with them.
  // A wrong name there fails the Redis per-record index tests.
  /** Hash `{holder, token}` of the pull lease; expires with the lease. */
  pullLease: string;
  /** The newest fencing token handed out for the pull lease; never expires. */
  pullToken: string;
  /** The pull watermark: every ledger row up to it is in the log. */
  pullCursor: string;
  /** Hash of one device's state (`device-store-redis.ts`); the device id is URI-encoded too. */
  device(uid: number, deviceId: string): string;
  /** Hash of one device's refresh chain (`refresh-store-redis.ts`); expires with its token. */
  refresh(uid: number, deviceId: string): string;
}

export function tenantKeys(prefix: string, tenant: string): TenantKeys {
  const base = `${prefix}{${encodeURIComponent(tenant)}}:`;
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
    versions: `${base}versions`,
    versionsExpiry: `${base}versions-expiry`,
    marks: `${base}marks`,
    history: `${base}history`,
    channel: `${base}live`,
    model: (model) => `${base}model:${model}`,
    user: (uid) => `${base}user:${uid}`,
    latestOfModel: (model) => `${base}latest:model:${model}`,
    latestOfUser: (uid) => `${base}latest:user:${uid}`,
    pullLease: `${base}pull-lease`,
    pullToken: `${base}pull-lease-token`,
    pullCursor: `${base}pull-cursor`,
    device: (uid, deviceId) => `${base}device:${uid}:${encodeURIComponent(deviceId)}`,
    refresh: (uid, deviceId) => `${base}refresh:${uid}:${encodeURIComponent(deviceId)}`,
  };
}

/** A key prefix with braces would become the Cluster hash tag instead of the tenant. */
export function checkedPrefix(prefix: string): string {
  if (/[{}]/.test(prefix)) throw new Error(`Redis key prefix must not contain braces: ${prefix}`);
  return prefix;
}
