/**
 * The check of the scale-out model: `nodes` hub processes on one Redis (one deployment: same
 * key prefix), devices spread evenly over them (acking every second, as the client library
 * does), pushes spread over the nodes at a fixed rate, each event for `fanout` devices. It
 * measures each node's CPU and the deliveries per second, and predicts each node's CPU from the
 * single-node unit costs.
 */
import { Fleet, deviceSpecs } from "../devices.js";
import { cpuDuring } from "../proc-cpu.js";
import { PUSH_TOKEN, startHub, startRedis, until, type HubProc, type Proc } from "../processes.js";
import { pushAll, pushAtRate, pushBody } from "../push-bodies.js";
import { redisCounters, redisDelta } from "../redis-stats.js";
import { nowMs } from "../stats.js";
import type { UnitCosts } from "./scale-units.js";

const FIRST_UID = 40_000;

export interface CheckSizes {
  nodes: number;
  devices: number;
  /** Events per second over all nodes, for `seconds`. */
  rate: number;
  seconds: number;
  fanout: number;
  /** Pushes for nobody through node 0, to measure what the other nodes pay for the feed alone. */
  feedPushes: number;
  /** The nodes' HUB_ACK_LINGER_MS; undefined: the hub's default. */
  ackLingerMs: number | undefined;
}

export interface CheckResult {
  deliveriesPerSecond: number;
  /** Mean over the nodes, CPU ms during the timed window: measured and predicted. */
  cpuRun: number;
  /** With the ack unit measured at once, and with the one measured spread over a second. */
  cpuModel: number;
  cpuModelSpread: number;
  /** µs per live event on a node that neither appended it nor has a device for it. */
  feed: number;
  /** CPU ms per second of a node with its devices connected and no events (timers, pings). */
  idle: number;
  /** Redis CPU ms in the timed window: measured, and events × per push + acks × per ack. */
  redisCpu: number;
  redisCpuModel: number;
  redisCpuModelSpread: number;
  redisCommandsPerEvent: number;
  /** Script calls (appends and acks), per event: fewer where calls merge. */
  redisScriptCallsPerEvent: number;
  redisOutPerEvent: number;
}

export async function check(sizes: CheckSizes, costs: UnitCosts): Promise<CheckResult> {
  const { nodes, devices, ackLingerMs } = sizes;
  const redis = await startRedis();
  const hubs: HubProc[] = [];
  const fleets: Fleet[] = [];
  try {
    const redisPrefix = `scale${Date.now()}:`;
    for (let n = 0; n < nodes; n++)
      hubs.push(await startHub({ redisUrl: redis.url, redisPrefix, ackLingerMs }));
    const specs = deviceSpecs(`scale-${nodes}`, devices, FIRST_UID, []);
    for (const [n, hub] of hubs.entries()) {
      const fleet = new Fleet(1);
      fleets.push(fleet);
      await fleet.connect(
        hub.url,
        specs.filter((_, i) => i % nodes === n),
        1000,
      );
    }
    const feed = await feedCost(hubs, sizes.feedPushes);
    const idle = await idleCost(hubs);
    const cluster = { hubs, fleets, redis };
    return { ...(await timed(cluster, sizes, costs, { feed, idle })), feed, idle };
  } finally {
    for (const fleet of fleets) await fleet.close();
    for (const hub of hubs) await hub.stop();
    await redis.stop();
  }
}

const mean = (list: readonly number[]) => list.reduce((a, b) => a + b, 0) / list.length;

/** µs per event that nodes 1… spend on pushes to nobody through node 0 (their feed alone). */
async function feedCost(hubs: HubProc[], pushes: number): Promise<number> {
  const { cpu } = await cpuDuring(
    hubs.map((h) => h.pid),
    async () => {
      await pushAll(hubs[0]!.url, PUSH_TOKEN, pushes, () => pushBody({ uids: [1] }, false), 32);
      // The other nodes get the last events from Pub/Sub a little after the last answer.
      await new Promise((resolve) => setTimeout(resolve, 300));
    },
  );
  return (mean(cpu.slice(1)) * 1000) / pushes;
}

const IDLE_MS = 2000;

/** CPU ms per second and node while nothing happens but what connected devices cost anyway. */
async function idleCost(hubs: HubProc[]): Promise<number> {
  const { cpu } = await cpuDuring(
    hubs.map((h) => h.pid),
    () => new Promise((resolve) => setTimeout(resolve, IDLE_MS)),
  );
  return (mean(cpu) * 1000) / IDLE_MS;
}

interface Cluster {
  hubs: HubProc[];
  fleets: Fleet[];
  redis: Proc;
}

async function timed(
  { hubs, fleets, redis }: Cluster,
  { nodes, devices, rate, seconds, fanout, ackLingerMs }: CheckSizes,
  costs: UnitCosts,
  measured: Pick<CheckResult, "feed" | "idle">,
): Promise<Omit<CheckResult, "feed" | "idle">> {
  const perNode = Math.round((rate * seconds) / nodes);
  const events = perNode * nodes;
  const expected = events * fanout;
  // Each event for `fanout` consecutive users, round robin over all devices (so over all nodes).
  // Device i is on node i % nodes; `reached[n]` counts the events node n has a device for.
  let next = 0;
  const reached: number[] = hubs.map(() => 0);
  const audience = () => {
    const first = next++ * fanout;
    const users = Array.from({ length: fanout }, (_, k) => (first + k) % devices);
    for (const n of new Set(users.map((i) => i % nodes))) reached[n]!++;
    return { uids: users.map((i) => FIRST_UID + i) };
  };
  await Promise.all(fleets.map((f) => f.reset()));
  const received = async () =>
    (await Promise.all(fleets.map((f) => f.stats()))).reduce((s, x) => s + x.received, 0);
  const before = redisCounters(redis.url);
  const start = nowMs();
  const { cpu } = await cpuDuring([...hubs.map((h) => h.pid), redis.pid], async () => {
    await Promise.all(
      hubs.map((hub) =>
        pushAtRate(hub.url, PUSH_TOKEN, perNode, rate / nodes, () => pushBody(audience())),
      ),
    );
    await until(async () => (await received()) >= expected, `${expected} deliveries`);
  });
  const elapsed = (nowMs() - start) / 1000;
  const counters = redisDelta(before, redisCounters(redis.url));
  const stats = await Promise.all(fleets.map((f) => f.stats()));
  const total = stats.reduce((s, x) => s + x.received, 0);
  if (total !== expected) throw new Error(`${nodes} nodes: ${total}/${expected} delivered`);
  const end = Math.max(...stats.map((s) => s.lastAt));
  // Node n: its own pushes, every other event from the feed, one emit per event it has devices
  // for, its devices' deliveries and acks, and what it spends per second with nothing to do.
  // Acks twice: at the unit measured with all acks at once (which group commit merges) and at
  // the one measured with acks spread over a second; the check's acks come spread, but among
  // pushes and deliveries that share the event loop's and Redis's turns with them.
  const model = (ack: number) =>
    stats.map(
      (s, n) =>
        (perNode * costs.push +
          (events - perNode) * measured.feed +
          // A negative emit is below what the units resolve (BENCHMARKS.md): taken as 0.
          reached[n]! * Math.max(0, costs.emit) +
          s.received * costs.delivery +
          s.acks * ack) /
          1000 +
        measured.idle * elapsed,
    );
  const [burst, spread] = [model(costs.ack), model(costs.ackSpread)];
  const acks = stats.reduce((sum, x) => sum + x.acks, 0);
  const redisModel = (ack: number) => (events * costs.redisPushCpu + acks * ack) / 1000;
  const shown = (m: number[]) => m.map((x) => x.toFixed(0)).join(", ");
  const scriptCalls = (counters.calls.get("evalsha") ?? 0) + (counters.calls.get("eval") ?? 0);
  console.log(
    `  ${nodes} nodes, HUB_ACK_LINGER_MS ${ackLingerMs ?? "default"}: CPU ms per node ${cpu.slice(0, nodes).join(", ")}; model ${shown(burst)} (acks spread: ${shown(spread)}); ` +
      `${events} events, ${total} deliveries, ${acks} acks in ${elapsed.toFixed(2)} s; ` +
      `feed ${measured.feed.toFixed(0)} µs/event, idle ${measured.idle.toFixed(1)} ms/s per node; ` +
      `Redis CPU ${cpu[nodes]} ms, ${scriptCalls} script calls`,
  );
  return {
    deliveriesPerSecond: total / ((end - start) / 1000),
    cpuRun: mean(cpu.slice(0, nodes)),
    cpuModel: mean(burst),
    cpuModelSpread: mean(spread),
    redisCpu: cpu[nodes]!,
    redisCpuModel: redisModel(costs.redisAckCpu),
    redisCpuModelSpread: redisModel(costs.redisAckSpreadCpu),
    redisCommandsPerEvent: counters.commands / events,
    redisScriptCallsPerEvent: scriptCalls / events,
    redisOutPerEvent: counters.netOut / events,
  };
}
