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
  // The probe key last sent, and whether MONITOR has shown it (matched by key: the hub's own
  // commands include GETs).
  let probe = { key: "", seen: true };
  const feed = await monitor.monitor();
  feed.on("monitor", (_time: string, args: string[], source: string) => {
    if (args[0]?.toLowerCase() === "get" && args[1] === probe.key) probe.seen = true;
    // Commands a script runs show as coming from "lua"; the script call itself is what counts.
    else if (!source.includes("lua")) commands.push(args[0]?.toLowerCase() ?? "");
  });
  // MONITOR shows commands in the order Redis ran them: once a probe shows, all before it did.
  let probes = 0;
  const take = async (): Promise<string[]> => {
    probe = { key: `odoo-live-monitor-probe-${++probes}`, seen: false };
    await prober.get(probe.key);
    await waitFor(() => probe.seen, { what: `MONITOR to show ${probe.key}` });
    return commands.splice(0);
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
