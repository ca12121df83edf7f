/**
 * What a redis-server did, from its own counters (INFO stats, INFO commandstats), read with
 * redis-cli so that the reading is not done through a client of the hub under test. Each
 * reading is itself one command of about 2 kB of output; the measurements span thousands of
 * events, so that is left in.
 */
import { spawnSync } from "node:child_process";

export interface RedisCounters {
  commands: number;
  netIn: number;
  netOut: number;
  /** Calls per command name (commandstats), e.g. evalsha, publish, hget. */
  calls: Map<string, number>;
}

function info(url: string, section: string): string {
  const { port } = new URL(url);
  const result = spawnSync("redis-cli", ["-p", port, "INFO", section], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`redis-cli INFO ${section}: ${result.stderr}`);
  return result.stdout;
}

function field(text: string, name: string): number {
  const value = new RegExp(`^${name}:(\\d+)`, "m").exec(text)?.[1];
  if (value === undefined) throw new Error(`INFO has no ${name}`);
  return Number(value);
}

export function redisCounters(url: string): RedisCounters {
  const stats = info(url, "stats");
  const calls = new Map<string, number>();
  for (const match of info(url, "commandstats").matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    calls.set(match[1]!, Number(match[2]));
  return {
    commands: field(stats, "total_commands_processed"),
    netIn: field(stats, "total_net_input_bytes"),
    netOut: field(stats, "total_net_output_bytes"),
    calls,
  };
}

/** `after − before`, the per-command calls only where they changed. */
export function redisDelta(before: RedisCounters, after: RedisCounters): RedisCounters {
  const calls = new Map<string, number>();
  for (const [name, n] of after.calls) {
    const delta = n - (before.calls.get(name) ?? 0);
    if (delta > 0) calls.set(name, delta);
  }
  return {
    commands: after.commands - before.commands,
    netIn: after.netIn - before.netIn,
    netOut: after.netOut - before.netOut,
    calls,
  };
}
