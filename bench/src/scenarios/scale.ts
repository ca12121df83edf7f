/**
 * The scale-out model's inputs and its check (issue 14, deliverable 6). First the per-unit
 * costs on each target with 1,000 devices (scale-units.ts) and the RSS per idle device (the
 * memory scenario's method, at 1,000 devices); on Redis, spread acks of devices of 100 tenants
 * against those of one (scale-tenants.ts); then 2 and 3 hub processes sharing one Redis, whose
 * CPU per node is compared with what the unit costs predict (scale-check.ts).
 */
import { deviceSpecs } from "../devices.js";
import { row, type Row } from "../report.js";
import { median } from "../stats.js";
import { withServed } from "../served.js";
import { alternate, type TargetName } from "../targets.js";
import { scaled, type Context } from "./context.js";
import { perDevice } from "./memory.js";
import { check, type CheckResult } from "./scale-check.js";
import { tenantAcks } from "./scale-tenants.js";
import { SCALE_MODEL, UNIT_KEYS, unitCosts, type UnitCosts } from "./scale-units.js";

const FIRST_UID = 30_000;

const METRICS: Record<keyof UnitCosts, string> = {
  push: "hub CPU µs per accepted push (for no device)",
  delivery: "hub CPU µs per delivery (events to all devices, push cost taken out)",
  emit: "hub CPU µs per event a node has a device for, beyond its deliveries",
  ack: "hub CPU µs per ack",
  ackSpread: "hub CPU µs per ack, spread over a second (idle cost taken out)",
  reconnect: "hub CPU µs per reconnect with nothing missed (all at once)",
  replayed: "hub CPU µs per replayed event (resume, reconnect cost taken out)",
  redisPushCpu: "Redis CPU µs per push (one node subscribed)",
  redisPushCommands: "Redis commands per push",
  redisPushIn: "Redis bytes received per push",
  redisPushOut: "Redis bytes sent per push (one node subscribed)",
  redisAckCpu: "Redis CPU µs per ack",
  redisAckSpreadCpu: "Redis CPU µs per ack, spread over a second",
  redisAckCommands: "Redis commands per ack",
  redisResumeCommands: "Redis commands per resuming device",
  redisReplayedOut: "Redis bytes sent per replayed event",
};

/** One target's values of `pick`, leaving out targets where it does not apply (NaN). */
function column<T>(
  results: Map<TargetName, T[]>,
  pick: (value: T) => number,
): Map<TargetName, number[]> {
  return new Map(
    [...results]
      .map(([name, list]) => [name, list.map(pick)] as const)
      .filter(([, list]) => list.every((v) => !Number.isNaN(v))),
  );
}

export async function scale(context: Context): Promise<Row[]> {
  const devices = scaled(context, 1000);
  const sizes = {
    devices,
    pushes: scaled(context, 750),
    rate: 250,
    events: scaled(context, 50),
    single: scaled(context, 750),
    firstUid: FIRST_UID,
    missed: scaled(context, 50),
  };
  const specs = (name: string) => deviceSpecs(`scale-${name}`, devices, FIRST_UID, [SCALE_MODEL]);
  const units = await withServed(context, specs, false, (served) =>
    alternate(served, context.runs, (s) => unitCosts(s, sizes)),
  );
  const rows = UNIT_KEYS.map((key) =>
    row(
      "scale",
      `${METRICS[key]} (${devices} devices)`,
      column(units, (u) => u[key]),
      "lower",
    ),
  );

  const idle = scaled(context, 1000);
  const targets = context.targets.map((name) => ({ name }));
  const memory = await alternate(targets, context.runs, (t) => perDevice(t.name, idle));
  rows.push(
    row(
      "scale",
      `bytes of server RSS per idle device, after a full GC (${idle} devices)`,
      memory,
      "lower",
    ),
  );

  const redisUnits = units.get("redis");
  if (redisUnits === undefined) return rows;
  rows.push(...(await tenantAcks(context)));
  // The model takes the medians of the single-node Redis hub.
  const costs = Object.fromEntries(
    UNIT_KEYS.map((key) => [key, median(redisUnits.map((u) => u[key]))]),
  ) as UnitCosts;
  // Two nodes also with acks that do not linger, alternating with the plain ones in each round.
  rows.push(...(await checkRows(context, 2, costs, true)));
  rows.push(...(await checkRows(context, 3, costs, false)));
  return rows;
}

async function checkRows(
  context: Context,
  nodes: number,
  costs: UnitCosts,
  alsoWithoutLinger: boolean,
): Promise<Row[]> {
  const base = {
    nodes,
    devices: scaled(context, 2000),
    rate: 200,
    seconds: context.scale < 1 ? 1 : 4,
    fanout: 20,
    feedPushes: scaled(context, 2000),
  };
  // The run's HUB_ACK_LINGER_MS (the hub's default unless --ack-linger-ms), and 0.
  const variants: { suffix: string; ackLingerMs: number | undefined }[] = [
    { suffix: "", ackLingerMs: context.ackLingerMs },
  ];
  if (alsoWithoutLinger) variants.push({ suffix: ", HUB_ACK_LINGER_MS=0", ackLingerMs: 0 });
  const results = variants.map(() => [] as CheckResult[]);
  for (let run = 0; run < context.runs; run++)
    for (const [i, { ackLingerMs }] of variants.entries())
      results[i]!.push(await check({ ...base, ackLingerMs }, costs));
  const offered = (base.rate * base.fanout).toLocaleString("en-US");
  return variants.flatMap(({ suffix }, i) => {
    const label = `${nodes} nodes on one Redis, ${base.devices} devices, ${base.rate} events/s × ${base.fanout} devices${suffix}`;
    const runs = results[i]!;
    const redis = (pick: (r: CheckResult) => number) =>
      new Map<TargetName, number[]>([["redis", runs.map(pick)]]);
    const lower = i === 0 ? LOWER : LOWER.filter(([metric]) => LINGER_ROWS.includes(metric));
    return [
      row(
        "scale check",
        `${label}: deliveries/s`,
        redis((r) => r.deliveriesPerSecond),
        "higher",
        {
          target: `offered ${offered}`,
        },
      ),
      ...lower.map(([metric, pick]) =>
        row("scale check", `${label}: ${metric}`, redis(pick), "lower"),
      ),
    ];
  });
}

const LOWER: [string, (r: CheckResult) => number][] = [
  ["hub CPU ms per node, run", (r) => r.cpuRun],
  ["hub CPU ms per node, model", (r) => r.cpuModel],
  ["run / model", (r) => r.cpuRun / r.cpuModel],
  ["hub CPU ms per node, model with acks spread", (r) => r.cpuModelSpread],
  ["run / model with acks spread", (r) => r.cpuRun / r.cpuModelSpread],
  ["feed CPU µs per event on a node without its devices", (r) => r.feed],
  ["idle CPU ms per node and second", (r) => r.idle],
  ["Redis CPU ms, run", (r) => r.redisCpu],
  ["Redis CPU ms, model", (r) => r.redisCpuModel],
  ["Redis CPU ms, model with acks spread", (r) => r.redisCpuModelSpread],
  ["Redis commands per event", (r) => r.redisCommandsPerEvent],
  ["Redis script calls per event (appends and acks)", (r) => r.redisScriptCallsPerEvent],
  ["Redis bytes sent per event", (r) => r.redisOutPerEvent],
];

/** What lingering acks could change; the model rows would repeat the plain check's. */
const LINGER_ROWS = [
  "hub CPU ms per node, run",
  "Redis CPU ms, run",
  "Redis script calls per event (appends and acks)",
];
