/**
 * The per-unit costs of the scale-out model, measured on one server with `devices` connected
 * (acks off, so that each cost is measured apart): CPU per accepted push, per delivery, per
 * ack, per reconnect and per replayed event; on Redis also Redis's CPU, commands and bytes.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { cpuDuring } from "../proc-cpu.js";
import { until } from "../processes.js";
import { pushAll, pushAtRate, pushBody, type Audience } from "../push-bodies.js";
import { redisCounters, redisDelta, type RedisCounters } from "../redis-stats.js";
import type { Served } from "../served.js";

export const SCALE_MODEL = "bench.scale";
/** No device has this user id: pushes for it are accepted, logged and delivered to nobody. */
const NOBODY: Audience = { uids: [1] };
const EVERYONE: Audience = { model: SCALE_MODEL };
/** Ack rounds per measurement: one ack per device is only a few clock ticks of hub CPU. */
const ACK_ROUNDS = 3;
/**
 * Acks spread over this long, each device at its own phase, as a deployment's come (each device
 * once a second): group commit merges only those that arrive within one Redis round trip.
 */
export const ACK_SPREAD_MS = 1000;

export interface Sizes {
  devices: number;
  pushes: number;
  /**
   * Pushes per second for the push and emit costs: a deployment sees pushes one by one at a
   * rate, and a burst of concurrent ones costs less each (more work per event-loop turn).
   */
  rate: number;
  /** Events to all devices in the fan-out burst. */
  events: number;
  /** Events to one device (the first, `firstUid`), for the cost of an emit beyond its delivery. */
  single: number;
  firstUid: number;
  /** Events each device misses before it resumes. */
  missed: number;
}

/** µs of CPU, commands and bytes per unit; NaN where a cost does not apply to the target. */
export type UnitCosts = Record<(typeof UNIT_KEYS)[number], number>;

export const UNIT_KEYS = [
  "push",
  "delivery",
  "emit",
  "ack",
  "ackSpread",
  "reconnect",
  "replayed",
  "redisPushCpu",
  "redisPushCommands",
  "redisPushIn",
  "redisPushOut",
  "redisAckCpu",
  "redisAckSpreadCpu",
  "redisAckCommands",
  "redisResumeCommands",
  "redisReplayedOut",
] as const;

export interface Phase {
  /** CPU ms of the server, and of its redis-server (NaN without one). */
  hub: number;
  redis: number;
  counters: RedisCounters | undefined;
}

/** What is left of the previous step (GC, session bookkeeping) must not count for the next. */
const SETTLE_MS = 300;

/** Runs `body` and reports what the server (and its Redis) spent on it. */
export async function phase(served: Served, body: () => Promise<unknown>): Promise<Phase> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const { target } = served;
  const redis = target.redis;
  const before = redis && redisCounters(redis.url);
  const pids = redis === undefined ? [target.pid] : [target.pid, redis.pid];
  const { cpu } = await cpuDuring(pids, body);
  const counters = redis && before && redisDelta(before, redisCounters(redis.url));
  return { hub: cpu[0]!, redis: cpu[1] ?? Number.NaN, counters };
}

/**
 * Sends `count` events for `audience` (32 at a time, or at `rate` per second) and waits until
 * the devices counted `expected`.
 */
async function deliver(
  served: Served,
  count: number,
  audience: Audience,
  expected: number,
  rate?: number,
) {
  const { target, fleet } = served;
  await fleet.reset();
  const make = () => pushBody(audience, false);
  if (rate === undefined) await pushAll(target.url, target.pushToken, count, make, 32);
  else await pushAtRate(target.url, target.pushToken, count, rate, make);
  await until(async () => (await fleet.stats()).received >= expected, `${expected} deliveries`);
  const stats = await fleet.stats();
  if (stats.received !== expected || stats.outOfOrder > 0)
    throw new Error(`${target.name}: ${stats.received}/${expected} delivered, or out of order`);
}

/** Lets the server finish what a disconnect costs before the next measurement starts. */
async function away(served: Served): Promise<void> {
  await served.fleet.disconnect();
  await sleep(500);
}

export async function unitCosts(served: Served, sizes: Sizes): Promise<UnitCosts> {
  const { target, fleet } = served;
  const { devices: n, pushes, events, missed, rate } = sizes;
  const perMs = (ms: number, units: number) => (ms * 1000) / units;

  const push = await phase(served, () => deliver(served, pushes, NOBODY, 0, rate));
  const pushUs = perMs(push.hub, pushes);

  const fan = await phase(served, () => deliver(served, events, EVERYONE, events * n));
  const delivery = (perMs(fan.hub, events) - pushUs) / n;

  // What an event costs a node that has any device for it, beyond each delivery: the room
  // lookup, one encode, metrics. Pushes for nobody skip all of it.
  const { single, firstUid } = sizes;
  const one = await phase(served, () =>
    deliver(served, single, { uids: [firstUid] }, single, rate),
  );
  const emit = perMs(one.hub, single) - pushUs - delivery;

  // The bare server has no acks (its sockets would wait for an answer forever).
  const ack = target.name === "bare" ? undefined : await ackRounds(served, n, 0);
  // Spread acks take a second each round: what the server spends in a second with nothing to
  // do is taken out.
  const spread = target.name === "bare" ? undefined : await ackRounds(served, n, ACK_SPREAD_MS);
  const acks = ACK_ROUNDS * n;

  await away(served);
  const plain = await phase(served, () => fleet.reconnect());
  const reconnect = perMs(plain.hub, n);

  await away(served);
  await pushAll(target.url, target.pushToken, missed, () => pushBody(EVERYONE, false), 32);
  const resume = await phase(served, () => fleet.reconnect());
  const stats = await fleet.stats();
  if (stats.min !== missed || stats.max !== missed || stats.outOfOrder > 0)
    throw new Error(`${target.name}: resumed devices got ${stats.min}…${stats.max} of ${missed}`);
  const replayed = (perMs(resume.hub, n) - reconnect) / missed;

  const c = push.counters;
  if (c !== undefined) {
    console.log(`  Redis calls per push: ${callsPer(c, pushes)}`);
    if (ack?.counters) console.log(`  Redis calls per ack: ${callsPer(ack.counters, n)}`);
    if (spread?.counters)
      console.log(`  Redis calls per ack spread over a second: ${callsPer(spread.counters, n)}`);
    if (resume.counters)
      console.log(`  Redis calls per resuming device: ${callsPer(resume.counters, n)}`);
  }
  return {
    push: pushUs,
    delivery,
    emit,
    ack: ack === undefined ? Number.NaN : perMs(ack.hub, acks),
    ackSpread: spread === undefined ? Number.NaN : perMs(spread.hub, acks),
    reconnect,
    replayed,
    redisPushCpu: perMs(push.redis, pushes),
    redisPushCommands: c ? c.commands / pushes : Number.NaN,
    redisPushIn: c ? c.netIn / pushes : Number.NaN,
    redisPushOut: c ? c.netOut / pushes : Number.NaN,
    redisAckCpu: ack === undefined ? Number.NaN : perMs(ack.redis, acks),
    redisAckSpreadCpu: spread === undefined ? Number.NaN : perMs(spread.redis, acks),
    // The last round's counters: one ack per device.
    redisAckCommands: ack?.counters ? ack.counters.commands / n : Number.NaN,
    redisResumeCommands: resume.counters ? resume.counters.commands / n : Number.NaN,
    redisReplayedOut: resume.counters ? resume.counters.netOut / (n * missed) : Number.NaN,
  };
}

/**
 * ACK_ROUNDS rounds of one event to every device, then every device's ack of it, at once or
 * spread over `overMs` (less what the same time costs with nothing to do).
 */
async function ackRounds(served: Served, n: number, overMs: number): Promise<Phase> {
  const { fleet } = served;
  const total: Phase = { hub: 0, redis: 0, counters: undefined };
  for (let round = 0; round < ACK_ROUNDS; round++) {
    await deliver(served, 1, EVERYONE, n);
    const idle = overMs === 0 ? { hub: 0, redis: 0 } : await phase(served, () => sleep(overMs));
    const one = await phase(served, () => fleet.ack(overMs));
    total.hub += one.hub - idle.hub;
    total.redis += one.redis - idle.redis;
    total.counters = one.counters;
  }
  return total;
}

/** Per-command calls per unit on Redis (printed, to see what one push or ack costs there). */
export function callsPer(counters: RedisCounters, units: number): string {
  return [...counters.calls]
    .sort((a, b) => b[1] - a[1])
    .map(([name, calls]) => `${name} ${(calls / units).toFixed(2)}`)
    .join(", ");
}
