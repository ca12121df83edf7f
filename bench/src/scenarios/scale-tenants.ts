/**
 * Acks spread over a second on one Redis hub whose devices are all of one tenant, against the
 * same number spread over 100 tenants. On one Redis a node's acks merge across tenants while the
 * first lingers (BENCHMARKS.md, Profile, "Fifth round"), so an ack should cost no more with many
 * tenants; the scale-out projection's deployment has 100 of them. The one-tenant variant is the
 * baseline, measured in the same run, alternating.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { deviceSpecs, Fleet } from "../devices.js";
import { until } from "../processes.js";
import { pushBody, sendPush } from "../push-bodies.js";
import { row, type Row } from "../report.js";
import type { Served } from "../served.js";
import { startTarget, type TargetName } from "../targets.js";
import { scaled, type Context } from "./context.js";
import { ACK_SPREAD_MS, phase, SCALE_MODEL } from "./scale-units.js";

const FIRST_UID = 40_000;
const MANY = 100;
/** Ack rounds per measurement, as the units' (each round one event per device, then its ack). */
const ROUNDS = 3;

interface SpreadAcks {
  /** Per ack: hub and Redis CPU µs (the same second's idle cost taken out), script calls. */
  hub: number;
  redis: number;
  calls: number;
}

export async function tenantAcks(context: Context): Promise<Row[]> {
  const devices = scaled(context, 1000);
  const variants = [1, MANY];
  const results = variants.map(() => [] as SpreadAcks[]);
  for (let run = 0; run < context.runs; run++)
    for (const [i, tenants] of variants.entries())
      results[i]!.push(await measure(context, devices, tenants));
  const metrics: [string, (a: SpreadAcks) => number][] = [
    ["hub CPU µs per ack", (a) => a.hub],
    ["Redis CPU µs per ack", (a) => a.redis],
    ["Redis script calls per ack", (a) => a.calls],
  ];
  const redis = (values: number[]) => new Map<TargetName, number[]>([["redis", values]]);
  return metrics.flatMap(([metric, pick]) => [
    ...variants.map((tenants, i) =>
      row(
        "scale",
        `${metric}, spread over a second, ${label(devices, tenants)}`,
        redis(results[i]!.map(pick)),
        "lower",
      ),
    ),
    row(
      "scale",
      `${metric}, spread: ${MANY} tenants / 1 tenant, in each round`,
      redis(results[1]!.map((many, run) => pick(many) / pick(results[0]![run]!))),
      "lower",
    ),
  ]);
}

function label(devices: number, tenants: number): string {
  return tenants === 1
    ? `${devices} devices of 1 tenant`
    : `${devices} devices of ${tenants} tenants (${devices / tenants} each)`;
}

/** A Redis hub serving `tenants`, `devices` spread evenly over them; ROUNDS rounds of spread acks. */
async function measure(context: Context, devices: number, tenants: number): Promise<SpreadAcks> {
  const ids = tenants === 1 ? ["default"] : Array.from({ length: tenants }, (_, i) => `t${i}`);
  const { ackLingerMs, cpuProfDir } = context;
  const target = await startTarget("redis", { tenants: ids, cpuProfDir, ackLingerMs });
  const fleet = new Fleet(2);
  const served: Served = { name: "redis", target, fleet };
  try {
    const specs = deviceSpecs(`tenants-${tenants}`, devices, FIRST_UID, [SCALE_MODEL], (i) => ({
      tenant: ids[i % ids.length],
    }));
    await fleet.connect(target.url, specs);
    const total = { hub: 0, redis: 0, calls: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      await fleet.reset();
      // One event for every device: one push per tenant, to its model's subscribers.
      for (const id of ids) {
        const status = await sendPush(
          target.url,
          target.pushToken,
          pushBody({ model: SCALE_MODEL }, false),
          id,
        );
        if (status >= 300) throw new Error(`push to ${id} answered ${status}`);
      }
      await until(async () => (await fleet.stats()).received >= devices, `${devices} deliveries`);
      const idle = await phase(served, () => sleep(ACK_SPREAD_MS));
      const acked = await phase(served, () => fleet.ack(ACK_SPREAD_MS));
      total.hub += acked.hub - idle.hub;
      total.redis += acked.redis - idle.redis;
      const calls = acked.counters?.calls;
      total.calls += (calls?.get("evalsha") ?? 0) + (calls?.get("eval") ?? 0);
    }
    const acks = ROUNDS * devices;
    return {
      hub: (total.hub * 1000) / acks,
      redis: (total.redis * 1000) / acks,
      calls: total.calls / acks,
    };
  } finally {
    await fleet.close();
    await target.stop();
  }
}
