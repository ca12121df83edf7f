import { z } from "zod";
import { tenantKeys, checkedPrefix } from "../ops/redis-keys.js";
import { defineScript, type RedisClient, type Script } from "../ops/redis-scripts.js";
import { checkLedgerId, checkTtl, type PullStart, type PullStore } from "./pull-store.js";

export interface RedisPullStoreOptions {
  /** Prepended to every key (default `odoo-live:`); tests pass a unique one. No braces. */
  prefix?: string | undefined;
}

type Fenced = "cursor" | "token";
type Written = "ledgerId" | "token";

interface Scripts {
  acquire: Script<"lease" | "token", "holder" | "ttlMs">;
  release: Script<"lease", "holder">;
  start: Script<Fenced, Written>;
  advance: Script<Fenced, Written>;
}

const Token = z.number().int().nullable();
const Started = z.union([
  z.null(),
  z.tuple([z.number().int(), z.union([z.literal(0), z.literal(1)])]),
]);
const Advanced = z.union([z.literal(-1), z.literal(0), z.literal(1)]);

/**
 * The pull store shared by every hub node (keys `pullLease`, `pullToken`, `pullCursor` of
 * `tenantKeys`). Redis expires the lease, so a dead holder's lease ends after its TTL whatever
 * the clocks of the nodes say; the token counter and the watermark never expire.
 *
 * The store borrows its connection: `close()` leaves it open, and whoever created it quits it.
 */
export class RedisPullStore implements PullStore {
  private readonly scripts: Scripts;
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisClient,
    options: RedisPullStoreOptions = {},
  ) {
    this.prefix = checkedPrefix(options.prefix ?? "odoo-live:");
    const define = <K extends string, A extends string>(
      file: string,
      keys: readonly K[],
      args: readonly A[],
    ) => defineScript(redis, { folder: "state", files: [file], keys, args });
    const fenced = ["cursor", "token"] as const;
    const written = ["ledgerId", "token"] as const;
    this.scripts = {
      acquire: define("pull-store-redis-acquire.lua", ["lease", "token"], ["holder", "ttlMs"]),
      release: define("pull-store-redis-release.lua", ["lease"], ["holder"]),
      start: define("pull-store-redis-start.lua", fenced, written),
      advance: define("pull-store-redis-advance.lua", fenced, written),
    };
  }

  async acquire(tenant: string, holder: string, ttlMs: number): Promise<number | null> {
    checkTtl(ttlMs);
    const keys = this.keys(tenant);
    const reply = await this.scripts.acquire(
      { lease: keys.pullLease, token: keys.pullToken },
      { holder, ttlMs },
    );
    return Token.parse(reply);
  }

  async release(tenant: string, holder: string): Promise<void> {
    await this.scripts.release({ lease: this.keys(tenant).pullLease }, { holder });
  }

  async cursor(tenant: string): Promise<number | null> {
    const stored = await this.redis.get(this.keys(tenant).pullCursor);
    if (stored === null) return null;
    const ledgerId = Number(stored);
    if (!Number.isSafeInteger(ledgerId) || ledgerId < 0)
      throw new Error(`the stored pull cursor of ${tenant} is not a ledger id: ${stored}`);
    return ledgerId;
  }

  async start(tenant: string, ledgerId: number, token: number): Promise<PullStart | null> {
    checkLedgerId(ledgerId);
    const reply = Started.parse(await this.scripts.start(this.fenced(tenant), { ledgerId, token }));
    return reply === null ? null : { ledgerId: reply[0], created: reply[1] === 1 };
  }

  async advance(tenant: string, ledgerId: number, token: number): Promise<boolean> {
    checkLedgerId(ledgerId);
    const reply = await this.scripts.advance(this.fenced(tenant), { ledgerId, token });
    return Advanced.parse(reply) !== -1;
  }

  /** The connection is the caller's to close (see the class comment). */
  close(): Promise<void> {
    return Promise.resolve();
  }

  private keys(tenant: string) {
    return tenantKeys(this.prefix, tenant);
  }

  private fenced(tenant: string): Record<Fenced, string> {
    const keys = this.keys(tenant);
    return { cursor: keys.pullCursor, token: keys.pullToken };
  }
}
