/**
 * Chaos, with real processes and no mocks: three hub processes on one Redis behind a round-robin
 * TCP balancer, 200 devices on the client library, changes arriving by push (raw and envelope)
 * and by pull at a steady rate (a third of them by pull only), one hub SIGKILLed and restarted
 * every few seconds, and Redis restarted (data kept) once; once on an idle machine, and once
 * with one of the machine's cores kept busy by another process (a noisy neighbour). Every device
 * must end with every change, once, in order.
 */
import { connect, memoryStorage, type OdooLiveClient } from "@odoo-live/client";
import type { NormalizedEvent, Ready, Resync } from "@odoo-live/protocol";
import type { OdooSim } from "@odoo-live/odoo-sim";
import { spawn } from "node:child_process";
import { createServer, connect as tcpConnect, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintToken, PUSH_TOKEN } from "./helpers/hub.js";
import { buildHub, startHubProcess, type HubProcess } from "./helpers/hub-process.js";
import { redisSkipReason, startRedis, type TestRedis } from "./helpers/redis.js";
import { SIM_API_KEY, saleChange, startSim } from "./helpers/sim.js";
import { waitFor } from "./helpers/wait.js";

const HUBS = 3;
const DEVICES = 200;
const UIDS = 5;
const RATE_PER_S = 50;
const DURATION_MS = 30_000;
const KILL_EVERY_MS = 4000;
const DOWN_MS = 1000;
/** The chaos step (counting from 1) that restarts Redis instead of killing a hub. */
const REDIS_STEP = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A process that keeps one core busy until it is killed. */
function busyCore(): () => Promise<void> {
  const child = spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  };
}

/**
 * A TCP balancer: each new connection goes to the next hub in turn that accepts it; when a hub
 * dies its connections drop, and the clients' reconnects land on the others.
 */
async function startBalancer(ports: () => number[]) {
  const sockets = new Set<Socket>();
  let next = 0;
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.pause();
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    const candidates = ports();
    const attempt = (tries: number) => {
      if (tries >= candidates.length || client.destroyed) {
        client.destroy();
        return;
      }
      const port = candidates[next++ % candidates.length] as number;
      const upstream = tcpConnect({ port, host: "127.0.0.1" });
      let connected = false;
      upstream.once("connect", () => {
        connected = true;
        sockets.add(upstream);
        upstream.on("close", () => {
          sockets.delete(upstream);
          client.destroy();
        });
        client.on("close", () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on("error", () => {
        if (!connected) attempt(tries + 1);
        else upstream.destroy();
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

interface Seen {
  id: string;
  seq: number;
  cursor: string;
  name: string;
  /** When the app saw it (Date.now()). */
  at: number;
}

/** When each change was made in the simulator, by name. */
const madeAt = new Map<string, number>();

interface Device {
  client: OdooLiveClient;
  /** What the app saw, in order; a resync starts a new segment. */
  segments: Seen[][];
  ready: Ready[];
  resyncs: Resync[];
  disconnects: number;
  names: Set<string>;
}

function startDevice(url: string, index: number): Device {
  const client = connect({
    url,
    token: mintToken({ uid: 2 + (index % UIDS) }),
    deviceId: `chaos-device-${index}`,
    models: ["sale.order"],
    storage: memoryStorage(),
    ackIntervalMs: 200,
    reconnect: { minDelayMs: 50, maxDelayMs: 500 },
    socketOptions: { transports: ["websocket"] },
  });
  const device: Device = {
    client,
    segments: [[]],
    ready: [],
    resyncs: [],
    disconnects: 0,
    names: new Set(),
  };
  client.on("event", (event: NormalizedEvent) => {
    const name = String(event.record["name"]);
    device.segments[device.segments.length - 1]?.push({
      id: event.id,
      seq: event.seq,
      cursor: event.cursor,
      name,
      at: Date.now(),
    });
    device.names.add(name);
  });
  client.on("ready", (ready) => void device.ready.push(ready));
  client.on("resync", (resync) => {
    device.resyncs.push(resync);
    device.segments.push([]);
  });
  client.on("disconnect", () => void device.disconnects++);
  return device;
}

/** Lost, duplicated and out-of-order counts of one device against the expected names. */
function audit(device: Device, expected: string[]) {
  const all = device.segments.flat();
  const counts = new Map<string, number>();
  for (const seen of all) counts.set(seen.name, (counts.get(seen.name) ?? 0) + 1);
  const lost = expected.filter((name) => !counts.has(name));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([name]) => name);
  const outOfOrder: string[] = [];
  for (const segment of device.segments) {
    let last = -1;
    for (const seen of segment) {
      if (seen.seq <= last) outOfOrder.push(`${seen.name} (seq ${seen.seq} after ${last})`);
      last = Math.max(last, seen.seq);
    }
  }
  return { lost, duplicated, outOfOrder };
}

describe.skipIf(redisSkipReason() !== undefined)("chaos: hubs killed mid-stream", () => {
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(() => buildHub(), 180_000);
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  }, 30_000);

  it("every device gets every change once and in order, through SIGKILLs and a Redis restart", async () => {
    await chaos(cleanups);
  }, 200_000);

  it("the same with one core kept busy by another process", async () => {
    const stopBusy = busyCore();
    cleanups.push(stopBusy);
    await chaos(cleanups);
    await stopBusy();
  }, 220_000);
});

async function chaos(cleanups: (() => Promise<void>)[]): Promise<void> {
  const redis: TestRedis = await startRedis();
  const sim: OdooSim = await startSim();
  const env = {
    REDIS_URL: redis.url,
    HUB_REDIS_PREFIX: `chaos${process.pid}:`,
    ODOO_URL: sim.url,
    ODOO_API_KEY: SIM_API_KEY,
    ODOO_PULL_START: "earliest",
    ODOO_PULL_INTERVAL_MS: "100",
  };
  const hubs: HubProcess[] = [];
  for (let i = 0; i < HUBS; i++) hubs.push(await startHubProcess(env, { readyTimeoutMs: 60_000 }));
  const balancer = await startBalancer(() => hubs.map((hub) => hub.port));
  cleanups.push(() => balancer.close());

  const devices: Device[] = [];
  for (let i = 0; i < DEVICES; i++) devices.push(startDevice(balancer.url, i));
  cleanups.push(async () => {
    await Promise.all(devices.map((device) => device.client.close()));
  });
  await waitFor(() => devices.every((device) => device.ready.length > 0), {
    timeoutMs: 30_000,
    what: "every device ready",
  });

  // Odoo pushes two changes in three; the third reaches the hub by pull only (its push was
  // lost, or its model is not pushed).
  const pushed = {
    url: `${balancer.url}/webhooks/odoo`,
    authType: "bearer" as const,
    token: PUSH_TOKEN,
    cronDelayMs: 0,
  };
  const notPushed = { ...pushed, instant: false, cronDelayMs: null };
  sim.subscribe(pushed);

  // Load: a steady RATE_PER_S changes per second for DURATION_MS, each a distinct name.
  const started = Date.now();
  let generated = 0;
  const load = (async () => {
    const total = (RATE_PER_S * DURATION_MS) / 1000;
    while (generated < total) {
      const due = Math.min(total, Math.floor(((Date.now() - started) * RATE_PER_S) / 1000));
      while (generated < due) {
        generated++;
        madeAt.set(`CHAOS-${generated}`, Date.now());
        if (generated % 3 === 0) sim.subscribe(notPushed);
        sim.change(saleChange(`CHAOS-${generated}`, 2 + (generated % UIDS)));
        if (generated % 3 === 0) sim.subscribe(pushed);
      }
      await sleep(20);
    }
  })();

  // Chaos: every KILL_EVERY_MS one hub in turn is SIGKILLed and restarted DOWN_MS later;
  // one step restarts Redis (data kept) instead.
  let kills = 0;
  let redisRestarts = 0;
  const chaos = (async () => {
    for (let step = 1; Date.now() - started + KILL_EVERY_MS < DURATION_MS; step++) {
      await sleep(started + step * KILL_EVERY_MS - Date.now());
      if (step === REDIS_STEP) {
        await redis.restart({ keepData: true });
        redisRestarts++;
        continue;
      }
      const hub = hubs[kills % HUBS] as HubProcess;
      await hub.kill();
      kills++;
      await sleep(DOWN_MS);
      await hub.restart();
    }
  })();

  await Promise.all([load, chaos]);
  const loadEnded = Date.now();
  const expected = sim.rows().map((row) => String(row.payload["name"]));
  expect(expected.length).toBe(generated);

  let caughtUp = true;
  try {
    await waitFor(() => devices.every((device) => device.names.size >= expected.length), {
      timeoutMs: 90_000,
      intervalMs: 100,
      what: "every device to see every change",
    });
  } catch {
    caughtUp = false;
  }
  const catchUpMs = Date.now() - loadEnded;
  // A moment more, so that late duplicates would show.
  await sleep(500);

  const audits = devices.map((device) => audit(device, expected));
  const sum = (pick: (a: ReturnType<typeof audit>) => string[]) =>
    audits.reduce((n, a) => n + pick(a).length, 0);
  const lost = sum((a) => a.lost);
  const duplicated = sum((a) => a.duplicated);
  const outOfOrder = sum((a) => a.outOfOrder);
  const resyncs = devices.reduce((n, device) => n + device.resyncs.length, 0);
  const disconnects = devices.reduce((n, device) => n + device.disconnects, 0);
  const sources = new Map<string, number>();
  for (const device of devices)
    for (const ready of device.ready)
      sources.set(ready.source, (sources.get(ready.source) ?? 0) + 1);
  let maxLatencyMs = 0;
  for (const device of devices)
    for (const seen of device.segments.flat())
      maxLatencyMs = Math.max(maxLatencyMs, seen.at - (madeAt.get(seen.name) ?? seen.at));
  const pushes = sim.pushes();
  const failedPushes = pushes.filter((p) => p.status !== 200).length;
  const rawPushes = pushes.filter((p) => p.shape === "raw").length;
  console.log(
    `chaos: ${DEVICES} devices on ${HUBS} hubs, ${expected.length} changes in ${DURATION_MS / 1000} s, ` +
      `${kills} hub kills, ${redisRestarts} Redis restart, ${disconnects} device disconnects, ` +
      `${pushes.length} pushes sent (${rawPushes} raw) of which ${failedPushes} failed, ` +
      `ready sources ${JSON.stringify(Object.fromEntries(sources))}, max latency ${maxLatencyMs} ms, ` +
      `catch-up after the load ${catchUpMs} ms${caughtUp ? "" : " (TIMED OUT)"}; ` +
      `lost ${lost}, duplicated ${duplicated}, out of order ${outOfOrder}, resyncs ${resyncs}`,
  );
  const worst = audits.findIndex(
    (a) => a.lost.length + a.duplicated.length + a.outOfOrder.length > 0,
  );
  if (worst >= 0) {
    const a = audits[worst];
    console.log(
      `device ${worst}: lost ${JSON.stringify(a?.lost.slice(0, 10))}, duplicated ${JSON.stringify(a?.duplicated.slice(0, 10))}, ` +
        `out of order ${JSON.stringify(a?.outOfOrder.slice(0, 10))}`,
    );
  }

  expect({ lost, duplicated, outOfOrder, resyncs }).toEqual({
    lost: 0,
    duplicated: 0,
    outOfOrder: 0,
    resyncs: 0,
  });
}
