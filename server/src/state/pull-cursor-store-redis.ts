import { checkedPrefix, readLua, type RedisClient } from "../ops/redis-scripts.js";
import type { PullCursorStore } from "./pull-cursor-store.js";

export interface RedisPullCursorStoreOptions {
  /** Prepended to every key (default `odoo-live:`); tests pass a unique one. No braces. */
  prefix?: string | undefined;
}

/** The command `defineCommand` adds to the connection: `pull-cursor-store-redis-advance.lua`. */
interface PullCursorCommands {
  pullCursorAdvance(
    key: string,
    fenceKey: string,
    ledgerId: string,
    token: string,
  ): Promise<unknown>;
}

/**
 * Each tenant's pull watermark in Redis, one string key per tenant (see `pullCursorKey`), moved
 * forward only by one Lua script so that several hubs polling the same tenant keep the maximum,
 * next to the highest fencing token seen (`…:pull-cursor-fence`).
 *
 * The store borrows its connection: `close()` leaves it open, and whoever created it quits it
 * once the stores using it are closed.
 */
export class RedisPullCursorStore implements PullCursorStore {
  private constructor(
    private readonly redis: RedisClient & PullCursorCommands,
    private readonly prefix: string,
  ) {}

  static create(
    redis: RedisClient,
    options: RedisPullCursorStoreOptions = {},
  ): RedisPullCursorStore {
    const prefix = checkedPrefix(options.prefix ?? "odoo-live:");
    redis.defineCommand("pullCursorAdvance", {
      numberOfKeys: 2,
      lua: readLua("state", "pull-cursor-store-redis-advance.lua"),
    });
    // defineCommand adds the method at run time; PullCursorCommands names what it added.
    return new RedisPullCursorStore(redis as RedisClient & PullCursorCommands, prefix);
  }

  async get(tenant: string): Promise<number | null> {
    const stored = await this.redis.get(pullCursorKey(this.prefix, tenant));
    return stored === null ? null : Number(stored);
  }

  async advance(tenant: string, ledgerId: number, token?: number): Promise<boolean> {
    // The script compares Lua numbers, which are exact for safe integers only.
    if (!Number.isSafeInteger(ledgerId) || ledgerId < 0)
      throw new RangeError(`ledger id must be a non-negative integer, got ${ledgerId}`);
    if (token !== undefined && !Number.isSafeInteger(token))
      throw new RangeError(`fencing token must be an integer, got ${token}`);
    const key = pullCursorKey(this.prefix, tenant);
    const outcome = await this.redis.pullCursorAdvance(
      key,
      `${key}-fence`,
      String(ledgerId),
      token === undefined ? "" : String(token),
    );
    return outcome !== -1;
  }

  /** The connection is the caller's to close (see the class comment). */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * `${prefix}{tenant}:pull-cursor`: the braces are the Redis Cluster hash tag, so each tenant's
 * keys share one slot; the tenant is URI-encoded so that a brace in it cannot move the tag.
 */
export function pullCursorKey(prefix: string, tenant: string): string {
  return `${prefix}{${encodeURIComponent(tenant)}}:pull-cursor`;
}

/** A brace in the prefix would become the hash tag instead of the tenant. */

/** tsc does not copy `.lua` files into dist/, so sources and builds both read them from src/. */
