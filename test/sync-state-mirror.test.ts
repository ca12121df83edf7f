/**
 * Issue 11: the user.sync.state mirror contains failures. One device whose Odoo user does not
 * exist (Odoo answers 500 on every write) never holds up the other devices of its tenant, and a
 * hub that shuts down writes what it still holds, up to a bound, and logs what it could not.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OdooSim } from "@odoo-live/odoo-sim";
import type { Hub } from "@odoo-live/server";
import { afterAll, describe, expect, it } from "vitest";
import {
  connectReady,
  mintToken,
  PUSH_TOKEN,
  startTestHub,
  type RecordingSocket,
} from "./helpers/hub.js";
import { captureLogger } from "./helpers/log-capture.js";
import { pullFrom, saleChange, SIM_API_KEY, startSim } from "./helpers/sim.js";
import { waitFor } from "./helpers/wait.js";

/** Odoo's res.users for these tests; BAD_UID is not among them. */
const USERS = [2, 3, 4, 5, 6];
const BAD_UID = 77;

const dir = mkdtempSync(join(tmpdir(), "odoo-live-mirror-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function device(hub: Hub, uid: number): Promise<RecordingSocket> {
  const auth = { token: mintToken({ uid }), deviceId: `dev-${uid}`, models: ["sale.order"] };
  return connectReady(hub, auth);
}

/** `count` more changes, seen by every device and pulled, so that acks cover ledger rows. */
async function changes(sim: OdooSim, hub: Hub, devices: RecordingSocket[], count: number) {
  const total = devices[0]!.events.length + count;
  for (let i = 0; i < count; i++) sim.change(saleChange(`R${i}`));
  await waitFor(() => devices.every((d) => d.events.length === total), { what: "the events" });
  const newest = sim.rows().at(-1)?.id;
  await waitFor(() => hub.pollers.get("default")?.stable === newest, { what: "the pull" });
  return newest;
}

async function ack(client: RecordingSocket): Promise<void> {
  const cursor = client.events.at(-1)?.cursor;
  const reply = await client.socket.emitWithAck("ack", { cursor, events: 1 });
  expect(reply).toMatchObject({ ok: true });
}

/** `get_or_create` requests Odoo received (handshakes, and the mirror's first write of a device). */
const syncStateGets = (sim: OdooSim) =>
  sim.requests().filter((r) => r.path === "/api/webhooks/sync-state").length;

describe("user.sync.state mirror", () => {
  it("keeps writing five healthy devices while one device's writes fail (Odoo 500)", async () => {
    const sim = await startSim({ users: USERS });
    const hub = await startTestHub(pullFrom(sim));
    const bad = await device(hub, BAD_UID);
    const healthy = await Promise.all(USERS.map((uid) => device(hub, uid)));
    const all = [bad, ...healthy];
    // Each handshake read its device's state; from here on, only the mirror asks.
    const connected = syncStateGets(sim);
    for (const round of [1, 2]) {
      const newest = await changes(sim, hub, all, 2);
      // The bad device acks first, so that its write is ahead of the others in any queue.
      for (const client of all) await ack(client);
      await waitFor(
        () => USERS.every((uid) => sim.syncState(uid, `dev-${uid}`)?.last_event_id === newest),
        { what: `round ${round}: every healthy device's write`, timeoutMs: 4000 },
      );
    }
    // The bad device is retried (on its own backoff), and never lands.
    // Healthy devices: one read each (then the mirror knows their state); the bad one: all tries.
    await waitFor(() => syncStateGets(sim) >= connected + USERS.length + 3, {
      what: "retries of the bad device",
    });
    expect(sim.syncState(BAD_UID, `dev-${BAD_UID}`)).toBeUndefined();
  });

  it("on shutdown, writes what is pending and logs the device it could not write", async () => {
    const sim = await startSim({ users: USERS });
    const { logger, lines } = captureLogger("info");
    // The loop never flushes by itself here: only the final flush can write.
    const hub = await startTestHub(tenantsFile(sim, 3_600_000), { logger });
    const bad = await device(hub, BAD_UID);
    const good = await device(hub, 2);
    const newest = await changes(sim, hub, [bad, good], 2);
    await ack(bad);
    await ack(good);
    // The handshake created the state; the mirror has not written yet.
    expect(sim.syncState(2, "dev-2")?.last_event_id).toBe(0);
    await hub.close();
    expect(sim.syncState(2, "dev-2")?.last_event_id).toBe(newest);
    const unwritten = lines().find(
      (l) => l["msg"] === "sync-state mirror stopped with unwritten devices",
    );
    expect(unwritten).toMatchObject({
      tenant: "default",
      unwritten: 1,
      devices: [{ uid: BAD_UID, deviceId: `dev-${BAD_UID}`, ledgerId: newest }],
    });
  });

  it("gives up the final flush after the shutdown bound when Odoo does not answer", async () => {
    const sim = await startSim({ users: USERS });
    const { logger, lines } = captureLogger("info");
    const hub = await startTestHub(
      { ...tenantsFile(sim, 3_600_000), HUB_SHUTDOWN_TIMEOUT_MS: "500" },
      { logger },
    );
    const good = await device(hub, 2);
    await changes(sim, hub, [good], 1);
    await ack(good);
    sim.setFault({ slowMs: 60_000 });
    const started = Date.now();
    await hub.close();
    // The drain (sockets, HTTP) and the final flush each take at most the bound.
    expect(Date.now() - started).toBeLessThan(2500);
    const unwritten = lines().find(
      (l) => l["msg"] === "sync-state mirror stopped with unwritten devices",
    );
    expect(unwritten).toMatchObject({ unwritten: 1, devices: [{ uid: 2, deviceId: "dev-2" }] });
  });
});

/** Tenant `default` pulling from `sim`, its mirror flushing every `flushIntervalMs`. */
function tenantsFile(sim: OdooSim, flushIntervalMs: number): Record<string, string> {
  const path = join(dir, `tenants-${Math.random().toString(36).slice(2)}.json`);
  const odoo = {
    url: sim.url,
    apiKey: SIM_API_KEY,
    pull: { intervalMs: 50, start: "earliest" },
    syncState: { flushIntervalMs },
  };
  writeFileSync(
    path,
    JSON.stringify({ tenants: { default: { push: { token: PUSH_TOKEN }, odoo } } }),
  );
  return { PUSH_TOKEN: "", HUB_TENANTS_FILE: path };
}
