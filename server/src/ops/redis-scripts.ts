import { readFileSync } from "node:fs";
import type { Cluster, Redis } from "ioredis";

/**
 * What the Redis stores run on: one server, or a Redis Cluster. Each command and script touches
 * one tenant's keys only, which share the tenant as their hash tag, hence one Cluster slot; the
 * one exception is the ack script on one Redis, which takes the acks of several tenants.
 */
export type RedisClient = Redis | Cluster;

/**
 * A store's Lua script. The scripts stay beside their stores in `src/` (tsc copies no .lua), and
 * this path reaches them from both `src/ops` and `dist/ops`.
 */
function readLua(folder: "log" | "state", file: string): string {
  return readFileSync(new URL(`../../src/${folder}/${file}`, import.meta.url), "utf8");
}

/**
 * A Lua script called with named keys and arguments, in the order its header declares them:
 * the script's `KEYS[i]` is `keys[i - 1]` (then `more`, for scripts declared with `moreKeys`)
 * and its `ARGV[i]` is `args[i - 1]`, then, for scripts declared with `itemArgs`, each item's
 * arguments in that order, item after item. Every key the script touches is among the keys.
 * Resolves to the raw reply, which the caller parses.
 */
export type Script<K extends string, A extends string, I extends string = never> = (
  keys: Record<K, string>,
  args: Record<A, string | number>,
  more?: readonly string[],
  items?: readonly Record<I, string | number>[],
) => Promise<unknown>;

export interface ScriptSpec<K extends string, A extends string, I extends string = never> {
  folder: "log" | "state";
  /** The script's file, or several joined in order (a shared prelude first). */
  files: readonly string[];
  keys: readonly K[];
  args: readonly A[];
  /** The caller passes a variable number of further keys after the named ones. */
  moreKeys?: boolean;
  /**
   * Arguments repeated per item of a batch, after the named ones: one script call does the work
   * of many (a page of pulled rows) in one round trip.
   */
  itemArgs?: readonly I[];
}

/** Loads the script once on the connection (ioredis sends EVALSHA, and EVAL after NOSCRIPT). */
export function defineScript<K extends string, A extends string, I extends string = never>(
  redis: RedisClient,
  spec: ScriptSpec<K, A, I>,
): Script<K, A, I> {
  const last = spec.files.at(-1) ?? "";
  const name = `odooLive_${last.replace(/\.lua$/, "").replace(/-(.)/g, (_, c: string) => c.toUpperCase())}`;
  const lua = spec.files.map((file) => readLua(spec.folder, file)).join("\n");
  const variable = spec.moreKeys === true;
  redis.defineCommand(name, variable ? { lua } : { numberOfKeys: spec.keys.length, lua });
  const command = (
    redis as unknown as Record<string, (...argv: (string | number)[]) => Promise<unknown>>
  )[name];
  if (command === undefined) throw new Error(`ioredis did not define ${name}`);
  const itemArgs = spec.itemArgs ?? [];
  return (keys, args, more = [], items = []) => {
    const named = spec.keys.map((k) => keys[k]);
    const values = spec.args.map((a) => args[a]);
    for (const item of items) for (const a of itemArgs) values.push(item[a]);
    return variable
      ? command.call(redis, named.length + more.length, ...named, ...more, ...values)
      : command.call(redis, ...named, ...values);
  };
}
