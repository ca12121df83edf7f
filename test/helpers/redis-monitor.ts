import { Redis } from "ioredis";
import { waitFor } from "./wait.js";

/**
 * Watches the commands clients send a Redis (MONITOR), leaving out those its scripts run: what a
 * round-trip count is about. Lower-cased command names, in the order Redis ran them.
 */
export async function monitorCommands(url: string) {
  const monitor = new Redis(url);
  const prober = new Redis(url);
  const commands: string[] = [];
  const feed = await monitor.monitor();
  feed.on("monitor", (_time: string, args: string[], source: string) => {
    // Commands a script runs show as coming from "lua"; the script call itself is what counts.
    if (!source.includes("lua")) commands.push(args[0]?.toLowerCase() ?? "");
  });
  // MONITOR shows commands in the order Redis ran them: once a probe shows, all before it did.
  let probes = 0;
  const take = async (): Promise<string[]> => {
    const key = `probe-${++probes}`;
    await prober.get(key);
    await waitFor(() => commands.at(-1) === "get", { what: `MONITOR to show ${key}` });
    return commands.splice(0).slice(0, -1);
  };
  await take();
  return {
    /** The commands Redis ran since the last call (or the start). */
    take,
    close(): void {
      feed.disconnect();
      monitor.disconnect();
      prober.disconnect();
    },
  };
}
