/**
 * Resume storm: 1,000 devices, each having missed 200 events, reconnect at once; time until every
 * one got `ready` (its replay comes first) with exactly its 200 events, in order. Then the same
 * with 10× more traffic for other devices of the tenant in the log meanwhile.
 */
import { deviceSpecs } from "../devices.js";
import { pushAll, pushBody } from "../push-bodies.js";
import { row, type Row } from "../report.js";
import { median, nowMs } from "../stats.js";
import { withServed, type Served } from "../served.js";
import { alternate, type TargetName } from "../targets.js";
import { scaled, type Context } from "./context.js";

const FIRST_UID = 10_000;
const MISSED = 200;

export async function resumeStorm(context: Context): Promise<Row[]> {
  const devices = scaled(context, 1000);
  const specs = (name: string) => deviceSpecs(`storm-${name}`, devices, FIRST_UID, ["bench.storm"]);
  return withServed(context, specs, false, async (served) => {
    const plain = await alternate(served, context.runs, (s) => storm(s, 0));
    const busy = await alternate(served, context.runs, (s) => storm(s, 10));
    const growth = new Map<TargetName, number[]>(
      [...busy].map(([name, list]) => [name, [median(list) / median(plain.get(name)!)]]),
    );
    return [
      row(
        "resume storm",
        `ms until ${devices} devices caught up on ${MISSED} missed events`,
        plain,
        "lower",
      ),
      row("resume storm", "same, with 10× other traffic in the log", busy, "lower"),
      row("resume storm", "ratio: 10× traffic / plain", growth, "lower", { target: "≤ 1.5" }),
    ];
  });
}

/** Disconnects all, logs what they miss (with `other` × as many events for nobody of them), reconnects all. */
async function storm({ target, fleet }: Served, other: number): Promise<number> {
  await fleet.disconnect();
  const total = MISSED * (1 + other);
  const forThem = (i: number) => i % (1 + other) === 0;
  await pushAll(
    target.url,
    target.pushToken,
    total,
    (i) => pushBody(forThem(i) ? { model: "bench.storm" } : { uids: [1 + (i % 500)] }, false),
    32,
  );
  const start = nowMs();
  await fleet.reconnect();
  const stats = await fleet.stats();
  if (stats.min !== MISSED || stats.max !== MISSED || stats.outOfOrder > 0) {
    throw new Error(
      `${target.name}: devices got ${stats.min}…${stats.max} of ${MISSED}, ${stats.outOfOrder} out of order`,
    );
  }
  return stats.readyAt - start;
}
