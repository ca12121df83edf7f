/**
 * Latency from push request to the client's event handler, at 200 and 1,000 events/s with 1,000
 * devices connected; each event is routed to one device (round robin).
 */
import { deviceSpecs } from "../devices.js";
import { until } from "../processes.js";
import { pushAtRate, pushBody } from "../push-bodies.js";
import { row, type Row } from "../report.js";
import { percentile } from "../stats.js";
import { withServed, type Served } from "../served.js";
import { alternate, type TargetName } from "../targets.js";
import { scaled, type Context } from "./context.js";

const FIRST_UID = 5000;
const SECONDS = 3;

export async function latency(context: Context): Promise<Row[]> {
  const devices = scaled(context, 1000);
  const specs = (name: string) => deviceSpecs(`latency-${name}`, devices, FIRST_UID, []);
  return withServed(context, specs, true, async (served) => {
    const rows: Row[] = [];
    for (const rate of [200, 1000]) {
      const runs = await alternate(served, context.runs, (s) => measure(s, rate, devices));
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
  });
}

async function measure(
  { target, fleet }: Served,
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
