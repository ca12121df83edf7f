import { AppType } from "@odoo-live/protocol";
import { z } from "zod";
import { checkedPrefix, tenantKeys } from "../ops/redis-keys.js";
import { defineScript, type RedisClient, type Script } from "../ops/redis-scripts.js";
import type { DeviceKey } from "./device-store.js";
import type {
  AppTypeValue,
  RefreshCheck,
  RefreshStore,
  RefreshStoreOptions,
} from "./refresh-store.js";

export interface RedisRefreshStoreOptions extends RefreshStoreOptions {
  /** Prepended to every key (default `odoo-live:`); tests pass a unique one. No braces. */
  prefix?: string | undefined;
}

const Used = z.union([
  z.tuple([z.literal("unknown")]).transform(() => ({ status: "unknown" as const })),
  z.tuple([z.literal("reused")]).transform(() => ({ status: "reused" as const })),
  z
    .tuple([z.literal("valid"), AppType])
    .transform(([, appType]) => ({ status: "valid" as const, appType })),
]);

/**
 * Refresh chains shared by every hub node: one hash per device (`refresh` of `tenantKeys`) that
 * Redis expires with its token. The store borrows its connection; whoever created it quits it.
 */
export class RedisRefreshStore implements RefreshStore {
  private readonly prefix: string;
  private readonly scripts: {
    start: Script<"chain", "secret" | "appType" | "ttlMs">;
    use: Script<"chain", "secret" | "next" | "ttlMs">;
  };

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RedisRefreshStoreOptions,
  ) {
    this.prefix = checkedPrefix(options.prefix ?? "odoo-live:");
    const define = <A extends string>(file: string, args: readonly A[]) =>
      defineScript(redis, { folder: "state", files: [file], keys: ["chain"], args });
    this.scripts = {
      start: define("refresh-store-redis-start.lua", ["secret", "appType", "ttlMs"]),
      use: define("refresh-store-redis-use.lua", ["secret", "next", "ttlMs"]),
    };
  }

  async start(device: DeviceKey, secret: string, appType: AppTypeValue): Promise<void> {
    await this.scripts.start(this.chain(device), { secret, appType, ttlMs: this.ttl(device) });
  }

  check(device: DeviceKey, secret: string): Promise<RefreshCheck> {
    return this.use(device, secret, "");
  }

  rotate(device: DeviceKey, secret: string, next: string): Promise<RefreshCheck> {
    return this.use(device, secret, next);
  }

  async revoke(device: DeviceKey): Promise<void> {
    await this.redis.del(this.chain(device).chain);
  }

  /** The connection is the caller's to close (see the class comment). */
  close(): Promise<void> {
    return Promise.resolve();
  }

  private async use(device: DeviceKey, secret: string, next: string): Promise<RefreshCheck> {
    const reply = await this.scripts.use(this.chain(device), {
      secret,
      next,
      ttlMs: this.ttl(device),
    });
    return Used.parse(reply);
  }

  private chain(device: DeviceKey): { chain: string } {
    return { chain: tenantKeys(this.prefix, device.tenant).refresh(device.uid, device.deviceId) };
  }

  private ttl(device: DeviceKey): number {
    return this.options.ttlMs(device.tenant);
  }
}
