/**
 * Latency from push request to the client's event handler, at 200 and 1,000 events/s with 1,000
 * devices connected; each event is routed to one device (round robin).
 */
import { Fleet, deviceSpecs } from "../devices.js";
import { until } from "../processes.js";
import { pushAtRate, pushBody } from "../push-bodies.js";
import { row, type Row } from "../report.js";
import { percentile } from "../stats.js";
import { alternate, startTarget, type Target, type TargetName } from "../targets.js";
import { scaled, type Context } from "./context.js";

const FIRST_UID = 5000;
const SECONDS = 3;

export async function latency(context: Context): Promise<Row[]> {
  const devices = scaled(context, 1000);
  const targets: Target[] = [];
  const fleets = new Map<Target, Fleet>();
  try {
    for (const name of context.targets) {
      const target = await startTarget(name, { cpuProfDir: context.cpuProfDir });
      targets.push(target);
      const fleet = new Fleet(2);
      fleets.set(target, fleet);
      await fleet.connect(
        target.url,
        deviceSpecs(`latency-${name}`, devices, FIRST_UID, []),
        name === "bare" ? undefined : 1000,
      );
    }
    const rows: Row[] = [];
    for (const rate of [200, 1000]) {
      const runs = await alternate(targets, context.runs, (t) =>
        measure(t, fleets.get(t)!, rate, devices),
      );
      for (const p of [50, 95, 99] as const) {
        const results = new Map<TargetName, number[]>(
          [...runs].map(([name, list]) => [name, list.map((r) => r[p])]),
        );
        const target =
          p !== 99 ? undefined : rate === 200 ? "≤ 1.5 × bare; embedded ≤ 25 ms" : "≤ 1.5 × bare";
        rows.push(
          row(
            "latency",
            `p${p} ms at ${rate} events/s (${devices} devices)`,
            results,
            "lower",
            target === undefined ? {} : { target },
          ),
        );
      }
    }
    return rows;
  } finally {
    for (const [target, fleet] of fleets) {
      await fleet.close();
      await target.stop();
    }
  }
}

async function measure(
  target: Target,
  fleet: Fleet,
  rate: number,
  devices: number,
): Promise<Record<50 | 95 | 99, number>> {
  await fleet.reset();
  const count = rate * SECONDS;
  await pushAtRate(target.url, target.pushToken, count, rate, (i) =>
    pushBody({ uids: [FIRST_UID + (i % devices)] }),
  );
  await until(
    async () => (await fleet.stats()).received >= count,
    `${count} deliveries on ${target.name}`,
  );
  const { latencies, received } = await fleet.stats(true);
  if (received !== count) throw new Error(`${target.name}: ${received}/${count} delivered`);
  return {
    50: percentile(latencies, 50),
    95: percentile(latencies, 95),
    99: percentile(latencies, 99),
  };
}
