/**
 * The mirror's bounds, against the Odoo simulator over HTTP, with an injected clock for the
 * ages: at most `maxDevices` waiting or remembered, positions forgotten after `forgetAfterMs`.
 */
import { describe, expect, test } from "vitest";
import { SyncStateSettings } from "../src/config/tenants.js";
import { OdooClient } from "../src/odoo/odoo-client.js";
import { SyncStateMirror } from "../src/odoo/sync-state-mirror.js";
import { captureLogger } from "../../test/helpers/log-capture.js";
import { SIM_API_KEY, startSim } from "../../test/helpers/sim.js";
import { waitFor } from "../../test/helpers/wait.js";

const USERS = [1, 2, 3, 4, 5];
const BAD_UID = 77;

async function mirrorOn(settings: Partial<SyncStateSettings>) {
  const sim = await startSim({ users: USERS });
  const client = new OdooClient({ url: sim.url, timeoutMs: 2000 }, SIM_API_KEY);
  let now = 1_700_000_000_000;
  const { logger, lines } = captureLogger("info");
  const parsed = SyncStateSettings.parse({ flushIntervalMs: 10, ...settings });
  const mirror = new SyncStateMirror("t", client, parsed, logger, () => now);
  return { sim, mirror, lines, advance: (ms: number) => (now += ms) };
}

const device = (uid: number) => ({ uid, deviceId: `dev-${uid}`, appType: "mobile_app" as const });

describe("SyncStateMirror bounds", () => {
  test("at most maxDevices wait: past it the device that waited longest is dropped, and logged", async () => {
    const { sim, mirror, lines } = await mirrorOn({ maxDevices: 3 });
    for (const uid of USERS) mirror.record(device(uid), 10 + uid, 1);
    expect(mirror.stats().pending).toBe(3);
    mirror.start();
    await waitFor(() => mirror.stats().pending === 0, { what: "the writes" });
    await mirror.stop(1000);
    const written = USERS.map((uid) => sim.syncState(uid, `dev-${uid}`)?.last_event_id);
    expect(written).toEqual([undefined, undefined, 13, 14, 15]);
    expect(mirror.stats().known).toBe(3);
    expect(lines().find((l) => l["droppedFull"] !== undefined)).toMatchObject({
      droppedFull: 2,
      droppedFailing: 0,
    });
  });

  test("what Odoo has is forgotten forgetAfterMs after the device's last write", async () => {
    const { mirror, advance } = await mirrorOn({ forgetAfterMs: 60_000 });
    mirror.start();
    for (const uid of [1, 2]) mirror.record(device(uid), 20, 1);
    await waitFor(() => mirror.stats().pending === 0, { what: "the first writes" });
    advance(30_000);
    mirror.record(device(2), 21, 1);
    await waitFor(() => mirror.stats().pending === 0, { what: "device 2's second write" });
    expect(mirror.stats().known).toBe(2);
    advance(30_000);
    expect(mirror.stats().known).toBe(1);
    advance(30_000);
    expect(mirror.stats()).toEqual({ pending: 0, known: 0 });
    await mirror.stop(1000);
  });

  test("a device whose writes keep failing is retried, then dropped after forgetAfterMs", async () => {
    const { sim, mirror, lines, advance } = await mirrorOn({ forgetAfterMs: 60_000 });
    // Failures the mirror has handled (each logged after its flush), as Odoo answered them.
    const failures = () => lines().filter((l) => l["failed"] !== undefined).length;
    const tries = () => sim.requests().filter((r) => r.path === "/api/webhooks/sync-state").length;
    mirror.record(device(BAD_UID), 30, 1);
    mirror.start();
    await waitFor(() => failures() === 1, { what: "the first failure" });
    advance(10_000); // past its backoff
    await waitFor(() => failures() === 2, { what: "a retry" });
    expect(tries()).toBe(2);
    advance(60_000);
    await waitFor(() => mirror.stats().pending === 0, { what: "the device given up" });
    await mirror.stop(1000);
    expect(lines().find((l) => l["droppedFailing"] !== undefined)).toMatchObject({
      droppedFailing: 1,
    });
    expect(lines().find((l) => l["failed"] !== undefined)).toMatchObject({
      tenant: "t",
      devices: [{ uid: BAD_UID, deviceId: `dev-${BAD_UID}`, ledgerId: 30 }],
    });
  });
});
