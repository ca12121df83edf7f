/**
 * CPU time of any process on this machine (a hub, a device process, redis-server), from
 * /proc/<pid>/stat: user + system time of all its threads, in milliseconds. The resolution is
 * one clock tick (10 ms at the usual 100 Hz), so a measurement should span many of them.
 */
import { readFileSync } from "node:fs";

const TICK_MS = 10;

export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces and parentheses: count fields after its last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 (utime) and 15 (stime) of proc(5), here at 11 and 12 (state is field 3).
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** CPU ms each of `pids` spent while `body` ran, in the order given, with body's result. */
export async function cpuDuring<T>(
  pids: readonly number[],
  body: () => Promise<T>,
): Promise<{ cpu: number[]; result: T }> {
  const before = pids.map(cpuMs);
  const result = await body();
  return { cpu: pids.map((pid, i) => cpuMs(pid) - before[i]!), result };
}
