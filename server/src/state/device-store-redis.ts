import { GroupCommit, ItemFailure } from "../ops/group-commit.js";
import { checkedPrefix, tenantKeys } from "../ops/redis-keys.js";
import { defineScript, type RedisClient, type Script } from "../ops/redis-scripts.js";
import { AppType, Domain, type ModelDomains } from "@odoo-live/protocol";
import { Cluster } from "ioredis";
import { z } from "zod";
import type {
  AckInput,
  AckResult,
  ConnectInput,
  DeviceKey,
  DeviceState,
  DeviceStore,
} from "./device-store.js";

export interface RedisDeviceStoreOptions {
  /** Prepended to every key (default `odoo-live:`); tests pass a unique one. No braces. */
  prefix?: string | undefined;
  /** How long a first ack waits for others to share its script call (default 0). */
  ackLingerMs?: number | undefined;
}

/** Most acks per ack script call: bounds how long one call holds Redis. */
const MAX_ACK_BATCH = 500;

/** An ack waiting for its script call: its device, and its arguments. */
interface Ack {
  key: DeviceKey;
  item: Record<AckItem, string>;
}

/** The app type of a device first seen through a subscribe or an ack rather than a connect. */
const DEFAULT_APP_TYPE: DeviceState["appType"] = "mobile_app";

/** Per ack of a batch (device-store-redis-ack.lua), in the script's order. */
const ACK_ITEM = ["epoch", "seq", "events", "at", "ledger"] as const;
type AckItem = (typeof ACK_ITEM)[number];

/** The store's scripts (the `.lua` files beside it), with their named keys and arguments. */
interface Scripts {
  connect: Script<"device", "appType" | "models" | "where">;
  models: Script<"device", "mode" | "appType" | "where", "model">;
  /** One device hash per ack, passed as further keys, in the order of the acks. */
  ack: Script<never, "appType", AckItem>;
}

function defineScripts(redis: RedisClient): Scripts {
  const files = (file: string) => ({ folder: "state" as const, files: [file] });
  return {
    connect: defineScript(redis, {
      ...files("device-store-redis-connect.lua"),
      keys: ["device"],
      args: ["appType", "models", "where"],
    }),
    models: defineScript(redis, {
      ...files("device-store-redis-models.lua"),
      keys: ["device"],
      args: ["mode", "appType", "where"],
      itemArgs: ["model"],
    }),
    ack: defineScript(redis, {
      ...files("device-store-redis-ack.lua"),
      keys: [],
      args: ["appType"],
      moreKeys: true,
      itemArgs: ACK_ITEM,
    }),
  };
}

/**
 * Devices in Redis, one hash per device (see `deviceHashKey`), so that several hub processes
 * share them. Every write is one Lua script that also returns what it left (connect and the
 * subscription changes the device's hash, an ack the position and sync count): what a caller
 * gets back is exactly what its own write produced, whatever other hubs do meanwhile.
 *
 * The store borrows its connection: `close()` leaves it open, and whoever created it quits it
 * once the stores using it are closed.
 */
export class RedisDeviceStore implements DeviceStore {
  /**
   * Acks that arrive while an ack script runs, or while the first ack lingers, go together in
   * one call (group commit): a second's acks of a node's devices cost a few script calls, not one
   * each.
   */
  private readonly acks: GroupCommit<Ack, AckResult>;
  /**
   * Which acks may share a call: on one Redis a script may touch any keys, so every tenant's; in
   * a Cluster a script's keys must share a slot, so one tenant's (its keys share its hash tag).
   * A node serving many tenants has few acks per tenant to merge, and many across them.
   */
  private readonly ackGroup: (tenant: string) => string;

  private constructor(
    private readonly redis: RedisClient,
    private readonly scripts: Scripts,
    private readonly prefix: string,
    lingerMs: number,
  ) {
    this.acks = new GroupCommit((_group, acks) => this.ackNow(acks), {
      maxBatch: MAX_ACK_BATCH,
      lingerMs,
    });
    this.ackGroup = redis instanceof Cluster ? (tenant) => tenant : () => "every tenant";
  }

  static create(redis: RedisClient, options: RedisDeviceStoreOptions = {}): RedisDeviceStore {
    const prefix = checkedPrefix(options.prefix ?? "odoo-live:");
    return new RedisDeviceStore(redis, defineScripts(redis), prefix, options.ackLingerMs ?? 0);
  }

  async get(key: DeviceKey): Promise<DeviceState | null> {
    const fields = await this.redis.hgetall(deviceHashKey(this.prefix, key));
    return Object.keys(fields).length === 0 ? null : toState(key, fields);
  }

  async connect(key: DeviceKey, input: ConnectInput): Promise<DeviceState> {
    const models = input.models === undefined ? "" : JSON.stringify([...new Set(input.models)]);
    const reply = await this.scripts.connect(
      { device: deviceHashKey(this.prefix, key) },
      { appType: input.appType, models, where: whereTexts(input.models ?? [], input.where) },
    );
    return toState(key, HashReply.parse(reply));
  }

  addModels(key: DeviceKey, models: readonly string[], where?: ModelDomains): Promise<DeviceState> {
    return this.changeModels(key, "add", models, whereTexts(models, where));
  }

  removeModels(key: DeviceKey, models: readonly string[]): Promise<DeviceState> {
    return this.changeModels(key, "remove", models, "{}");
  }

  async ack(key: DeviceKey, input: AckInput): Promise<AckResult> {
    // Checked here because a Lua script that fails half-way keeps the writes it already made.
    const item = {
      epoch: input.position.epoch,
      seq: count("position.seq", input.position.seq),
      events: count("events", input.events),
      at: input.at.toISOString(),
      ledger:
        input.position.ledger === undefined ? "" : count("position.ledger", input.position.ledger),
    };
    // GroupCommit checks that the script answered one result per ack.
    const [result] = await this.acks.submit(this.ackGroup(key.tenant), [{ key, item }]);
    return result!;
  }

  private async ackNow(acks: readonly Ack[]): Promise<(AckResult | ItemFailure)[]> {
    const hashes = acks.map(({ key }) => deviceHashKey(this.prefix, key));
    const items = acks.map(({ item }) => item);
    const reply = await this.scripts.ack({}, { appType: DEFAULT_APP_TYPE }, hashes, items);
    const replies = z.parse(z.array(z.unknown()), reply);
    return acks.map((_ack, i) => {
      if (i >= replies.length) throw new Error(`the ack script answered no ack ${i}`);
      // A device whose stored position does not parse fails its own ack, not the others.
      const parsed = AckReply.safeParse(replies[i]);
      if (!parsed.success) return new ItemFailure(parsed.error);
      const [moved, epoch, seq, ledger, syncCount] = parsed.data;
      const acked = { epoch, seq, ...(ledger !== "" && { ledger }) };
      return { moved: moved === 1, acked, syncCount };
    });
  }

  /**
   * Sends the acks still lingering and waits for every ack's answer, so that none goes to a
   * connection its owner quits next. The connection is the caller's to close (class comment).
   */
  close(): Promise<void> {
    return this.acks.flush();
  }

  private async changeModels(
    key: DeviceKey,
    mode: "add" | "remove",
    models: readonly string[],
    where: string,
  ): Promise<DeviceState> {
    const reply = await this.scripts.models(
      { device: deviceHashKey(this.prefix, key) },
      { mode, appType: DEFAULT_APP_TYPE, where },
      [],
      models.map((model) => ({ model })),
    );
    return toState(key, HashReply.parse(reply));
  }
}

/** The device's hash: `device(uid, deviceId)` of `tenantKeys`. */
export function deviceHashKey(prefix: string, key: DeviceKey): string {
  return tenantKeys(prefix, key.tenant).device(key.uid, key.deviceId);
}

/** The domains of `where` for `models`, each as its JSON text (stored verbatim by the scripts). */
function whereTexts(models: readonly string[], where: ModelDomains | undefined): string {
  const texts = Object.entries(where ?? {})
    .filter(([model]) => models.includes(model))
    .map(([model, domain]) => [model, JSON.stringify(domain)]);
  return JSON.stringify(Object.fromEntries(texts));
}

/** The `where:<model>` fields of a stored device, parsed. */
function storedWhere(fields: Record<string, string | undefined>): ModelDomains {
  const where: ModelDomains = {};
  for (const [field, text] of Object.entries(fields)) {
    if (!field.startsWith("where:") || text === undefined) continue;
    where[field.slice("where:".length)] = z.parse(Domain, JSON.parse(text));
  }
  return where;
}

function count(name: string, value: number): string {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  return String(value);
}

/** HGETALL as a script returns it: a flat list of field, value, field, value… */
const HashReply = z
  .array(z.string())
  .transform((flat) =>
    Object.fromEntries(flat.flatMap((v, i) => (i % 2 === 0 ? [[v, flat[i + 1]]] : []))),
  );

/** One ack's answer (device-store-redis-ack.lua): moved, the stored position, the sync count. */
const AckReply = z.tuple([
  z.union([z.literal(0), z.literal(1)]),
  z.string(),
  z.coerce.number().int().nonnegative(),
  z.union([z.literal(""), z.coerce.number().int()]),
  z.coerce.number().int(),
]);

/** The device hash; fields an ack writes are absent until the first ack. */
const StoredDevice = z.object({
  appType: AppType,
  models: z
    .string()
    .transform((json) => JSON.parse(json) as unknown)
    .pipe(z.array(z.string())),
  ackedEpoch: z.string().optional(),
  ackedSeq: z.coerce.number().int().optional(),
  ackedLedger: z.coerce.number().int().optional(),
  lastSyncTime: z.string().optional(),
  syncCount: z.coerce.number().int().default(0),
  lastEventCount: z.coerce.number().int().default(0),
  totalEventsSynced: z.coerce.number().int().default(0),
});

function toState(key: DeviceKey, fields: Record<string, string | undefined>): DeviceState {
  const stored = StoredDevice.parse(fields);
  const { ackedEpoch, ackedSeq, ackedLedger } = stored;
  return {
    tenant: key.tenant,
    uid: key.uid,
    deviceId: key.deviceId,
    appType: stored.appType,
    models: stored.models,
    where: storedWhere(fields),
    acked:
      ackedEpoch === undefined || ackedSeq === undefined
        ? null
        : {
            epoch: ackedEpoch,
            seq: ackedSeq,
            ...(ackedLedger !== undefined && { ledger: ackedLedger }),
          },
    lastSyncTime: stored.lastSyncTime ?? null,
    syncCount: stored.syncCount,
    lastEventCount: stored.lastEventCount,
    totalEventsSynced: stored.totalEventsSynced,
  };
}
