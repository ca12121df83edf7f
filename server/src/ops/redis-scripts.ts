import { readFileSync } from "node:fs";
import type { Cluster, Redis } from "ioredis";

/**
 * What the Redis stores run on: one server, or a Redis Cluster. Each command and script touches
 * one tenant's keys only, which share the tenant as their hash tag, hence one Cluster slot.
 */
export type RedisClient = Redis | Cluster;

/**
 * A store's Lua script. The scripts stay beside their stores in `src/` (tsc copies no .lua), and
 * this path reaches them from both `src/ops` and `dist/ops`.
 */
export function readLua(folder: "log" | "state", file: string): string {
  return readFileSync(new URL(`../../src/${folder}/${file}`, import.meta.url), "utf8");
}

/** A key prefix with braces would become the Cluster hash tag instead of the tenant. */
export function checkedPrefix(prefix: string): string {
  if (/[{}]/.test(prefix)) throw new Error(`Redis key prefix must not contain braces: ${prefix}`);
  return prefix;
}
