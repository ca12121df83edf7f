/**
 * Record rules: fan-out to 2,000 devices whose tokens carry 50 distinct domains (each lets every
 * event through, so both fleets get the same deliveries) against 2,000 devices without rules,
 * on the same hub, alternating bursts. The hub evaluates each distinct rule set once per event.
 */
import { Fleet, deviceSpecs } from "../devices.js";
import { until } from "../processes.js";
import { pushAll, pushBody } from "../push-bodies.js";
import { row, type Row } from "../report.js";
import { median, nowMs } from "../stats.js";
import { alternate, startTarget, type Target, type TargetName } from "../targets.js";
import { scaled, type Context } from "./context.js";

const RULE_SETS = 50;

interface Served {
  name: TargetName;
  target: Target;
  plain: Fleet;
  ruled: Fleet;
}

export async function rules(context: Context): Promise<Row[]> {
  const devices = scaled(context, 2000);
  const events = 50;
  const served: Served[] = [];
  try {
    for (const name of context.targets.filter((t) => t !== "bare")) {
      const target = await startTarget(name, { cpuProfDir: context.cpuProfDir });
      const [plain, ruled] = [new Fleet(2), new Fleet(2)];
      served.push({ name, target, plain, ruled });
      await plain.connect(target.url, deviceSpecs("plain", devices, 1000, ["bench.plain"]), 1000);
      // Always true, yet 50 distinct rule sets: amount_total is never negative.
      const claims = (i: number) => ({
        domains: { "bench.ruled": [["amount_total", "!=", -1 - (i % RULE_SETS)]] },
      });
      const specs = deviceSpecs("ruled", devices, 10_000, ["bench.ruled"], claims);
      await ruled.connect(target.url, specs, 1000);
    }
    const results = await alternate(served, context.runs, async (s) => {
      const plainRate = await burst(s.target, s.plain, "bench.plain", events, devices);
      const ruledRate = await burst(s.target, s.ruled, "bench.ruled", events, devices);
      return { plainRate, ruledRate };
    });
    const pick = (key: "plainRate" | "ruledRate") =>
      new Map([...results].map(([name, list]) => [name, list.map((r) => r[key])]));
    const ratio = new Map(
      [...results].map(([name, list]) => [
        name,
        [median(list.map((r) => r.ruledRate)) / median(list.map((r) => r.plainRate))],
      ]),
    );
    return [
      row(
        "rules",
        `fan-out to ${devices} devices without rules: delivered/s`,
        pick("plainRate"),
        "higher",
      ),
      row("rules", `same, ${RULE_SETS} distinct domains: delivered/s`, pick("ruledRate"), "higher"),
      row("rules", "ratio: with rules / without", ratio, "higher", { target: "≥ 0.8" }),
    ];
  } finally {
    for (const s of served) {
      await s.plain.close();
      await s.ruled.close();
      await s.target.stop();
    }
  }
}

async function burst(target: Target, fleet: Fleet, model: string, events: number, devices: number) {
  await fleet.reset();
  const expected = events * devices;
  const start = nowMs();
  await pushAll(target.url, target.pushToken, events, () => pushBody({ model }), 16);
  await until(async () => (await fleet.stats()).received >= expected, `${expected} deliveries`);
  const stats = await fleet.stats();
  if (stats.received !== expected) throw new Error(`${stats.received}/${expected} delivered`);
  return expected / ((stats.lastAt - start) / 1000);
}
