/**
 * A restart storm, with real processes: 300 devices on an embedded hub that pulls a simulated
 * Odoo and takes its pushes; the hub is SIGKILLed, 1,000 changes are made while it is down (their
 * instant pushes fail), it restarts and every device reconnects at once; then Odoo's cron sends
 * the events it still holds. Every device gets every change once, in one order, without resync,
 * from one read of each ledger page, and the cron's re-sends are duplicates.
 */
import { connect, memoryStorage, type OdooLiveClient } from "@odoo-live/client";
import type { NormalizedEvent, Ready, Resync } from "@odoo-live/protocol";
import { afterAll, describe, expect, it } from "vitest";
import { mintToken, PUSH_TOKEN } from "./helpers/hub.js";
import { buildHub, startHubProcess } from "./helpers/hub-process.js";
import { SIM_API_KEY, saleChange, startSim } from "./helpers/sim.js";
import { waitFor } from "./helpers/wait.js";

const DEVICES = 300;
const USERS = 5;
const BEFORE = 50;
const WHILE_DOWN = 1000;

interface Device {
  client: OdooLiveClient;
  names: string[];
  ready: Ready[];
  resyncs: Resync[];
}

const devices: Device[] = [];
afterAll(async () => {
  await Promise.all(devices.map((device) => device.client.close()));
});

function startDevice(url: string, index: number): Device {
  const client = connect({
    url,
    token: mintToken({ uid: 2 + (index % USERS) }),
    deviceId: `storm-${index}`,
    models: ["sale.order"],
    storage: memoryStorage(),
    reconnect: { minDelayMs: 50, maxDelayMs: 500 },
  });
  const device: Device = { client, names: [], ready: [], resyncs: [] };
  client.on(
    "event",
    (event: NormalizedEvent) => void device.names.push(String(event.record["name"])),
  );
  client.on("ready", (ready) => void device.ready.push(ready));
  client.on("resync", (resync) => void device.resyncs.push(resync));
  return device;
}

/** A counter of the hub's /metrics, summed over the label values given. */
async function metric(url: string, name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

const pullRequests = (sim: { requests(): readonly { path: string }[] }) =>
  sim.requests().filter((r) => r.path === "/api/webhooks/pull").length;

describe("restart storm", () => {
  it("every device catches up once, in one order, without resync; cron re-sends are duplicates", async () => {
    buildHub();
    const sim = await startSim();
    const hub = await startHubProcess({
      ODOO_URL: sim.url,
      ODOO_API_KEY: SIM_API_KEY,
      ODOO_PULL_START: "latest",
      ODOO_PULL_INTERVAL_MS: "100",
    });
    // The module's cron runs when the test says so (method_direct_trigger on a real Odoo).
    sim.subscribe({
      url: `${hub.url}/webhooks/odoo`,
      authType: "bearer",
      token: PUSH_TOKEN,
      cronDelayMs: 3_600_000,
    });
    for (let i = 0; i < DEVICES; i++) devices.push(startDevice(hub.url, i));
    await waitFor(() => devices.every((d) => d.ready.length === 1), {
      timeoutMs: 30_000,
      what: "every device ready",
    });
    // Before the crash, through JSON-RPC: pushed once, nothing left for the cron.
    for (let i = 0; i < BEFORE; i++)
      sim.change({ ...saleChange(`B${i}`, 2 + (i % USERS)), via: "jsonrpc" });
    await waitFor(
      () => devices.every((d) => d.names.length === BEFORE) && sim.pushes().length === BEFORE,
      { timeoutMs: 30_000, what: "every device to see the changes made before the crash, pushed" },
    );

    await hub.kill();
    for (let i = 0; i < WHILE_DOWN; i++) sim.change(saleChange(`D${i}`, 2 + (i % USERS)));
    await waitFor(() => sim.pushes().length === BEFORE + WHILE_DOWN, {
      timeoutMs: 30_000,
      what: "the instant pushes of the changes made while the hub is down to fail",
    });
    expect(
      sim
        .pushes()
        .slice(BEFORE)
        .every((p) => p.status === "error"),
    ).toBe(true);
    const pullsBefore = pullRequests(sim);
    const restarted = Date.now();
    await hub.restart();
    const expected = sim.rows().map((row) => String(row.payload["name"]));
    expect(expected).toHaveLength(BEFORE + WHILE_DOWN);
    await waitFor(() => devices.every((d) => d.names.length >= expected.length), {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: "every device to see every change",
    });
    const caughtUpMs = Date.now() - restarted;
    const readyAgainMs = Math.max(...devices.map((d) => (d.ready[1] === undefined ? Infinity : 0)));
    expect(readyAgainMs).toBe(0);
    for (const device of devices) {
      expect(device.resyncs).toEqual([]);
      // The first devices fill the log in from Odoo; the log serves those after them.
      expect(device.ready[1]).toMatchObject({ recovered: true });
      expect(["odoo", "hub"]).toContain(device.ready[1]?.source);
      expect([...device.names].sort()).toEqual([...expected].sort());
    }
    const order = devices[0]?.names;
    expect(devices.every((d) => d.names.join() === order?.join())).toBe(true);
    // Each ledger page of the missed range (1,000 rows, pages of 500) read once for every
    // device, besides the puller's own passes and its probe for the newest row.
    const catchUpReads = pullRequests(sim) - pullsBefore;
    // 300 devices: two pages of 500, the puller's probe for Odoo's newest row (about 20 one-row
    // reads) and its passes; a read per device would be hundreds.
    expect(catchUpReads).toBeLessThan(60);

    const headBefore = await metric(hub.url, "odoo_live_events_ingested_total", {
      result: "appended",
    });
    sim.runCron();
    await waitFor(() => sim.pushes().length === BEFORE + WHILE_DOWN * 2, {
      timeoutMs: 30_000,
      what: "the cron's envelopes",
    });
    const cron = sim.pushes().slice(-WHILE_DOWN);
    expect(cron.every((p) => p.shape === "envelope" && p.status === 200)).toBe(true);
    expect(
      await metric(hub.url, "odoo_live_events_ingested_total", {
        source: "push",
        result: "duplicate",
      }),
    ).toBe(WHILE_DOWN);
    expect(await metric(hub.url, "odoo_live_events_ingested_total", { result: "appended" })).toBe(
      headBefore,
    );
    expect(devices.every((d) => d.names.length === expected.length)).toBe(true);
    console.log(
      `restart storm: ${DEVICES} devices, ${WHILE_DOWN} changes while down, caught up ` +
        `${caughtUpMs} ms after the restart began, ${catchUpReads} pull requests since`,
    );
  }, 180_000);
});
