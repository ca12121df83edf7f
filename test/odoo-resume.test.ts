/** Issue: user.sync.state follows acks; a device is caught up from Odoo when the hub cannot. */
import type { OdooSim } from "@odoo-live/odoo-sim";
import type { Hub } from "@odoo-live/server";
import { describe, expect, it } from "vitest";
import { asEnvelope, saleOrderCreate } from "@odoo-live/protocol/fixtures";
import {
  connectReady,
  mintToken,
  push,
  startTestHub,
  type RecordingSocket,
} from "./helpers/hub.js";
import { pullFrom, saleChange, startSim } from "./helpers/sim.js";
import { waitFor } from "./helpers/wait.js";

const DEVICE = { token: mintToken({ uid: 2 }), deviceId: "tablet-1", models: ["sale.order"] };
const names = (client: RecordingSocket) => client.events.map((e) => e.record["name"]);

function changes(sim: OdooSim, from: number, to: number): void {
  for (let i = from; i < to; i++) sim.change(saleChange(`R${i}`));
}

/** Waits until the hub's puller has every row Odoo has, so acks cover them. */
async function pulledAll(hub: Hub, sim: OdooSim): Promise<void> {
  const newest = sim.rows().at(-1)?.id;
  await waitFor(() => hub.pollers.get("default")?.stable === newest, {
    what: "the puller's watermark",
  });
}

/** The puller has marked where its ledger coverage starts (a device can be caught up from then on). */
async function pulling(hub: Hub): Promise<Hub> {
  await waitFor(() => hub.pollers.get("default")?.stable !== undefined, {
    what: "the puller's start",
  });
  return hub;
}

async function ackLast(client: RecordingSocket): Promise<void> {
  const cursor = client.events.at(-1)?.cursor;
  expect(
    await client.socket.emitWithAck("ack", { cursor, events: client.events.length }),
  ).toMatchObject({ ok: true });
}

describe("user.sync.state mirror", () => {
  it("follows acks and never goes backwards", async () => {
    const sim = await startSim();
    const hub = await startTestHub(pullFrom(sim));
    const client = await connectReady(hub, DEVICE);
    changes(sim, 0, 5);
    await waitFor(() => client.events.length === 5, { what: "5 events" });
    await pulledAll(hub, sim);
    await ackLast(client);
    const fifth = sim.rows()[4]?.id;
    await waitFor(() => sim.syncState(2, "tablet-1")?.last_event_id === fifth, {
      what: "the mirrored position",
    });
    const earlier = client.events[1]?.cursor;
    expect(await client.socket.emitWithAck("ack", { cursor: earlier, events: 0 })).toMatchObject({
      ok: true,
    });
    changes(sim, 5, 8);
    await waitFor(() => client.events.length === 8, { what: "3 more events" });
    await pulledAll(hub, sim);
    await ackLast(client);
    const eighth = sim.rows()[7]?.id;
    await waitFor(() => sim.syncState(2, "tablet-1")?.last_event_id === eighth, {
      what: "the next position",
    });
    const history = sim.syncStateHistory(2, "tablet-1");
    expect(history).toEqual([...history].sort((a, b) => a - b));
    expect(history.at(-1)).toBe(eighth);
  });
});

describe("deep resume from Odoo", () => {
  it("catches up a device whose hub restarted (state lost) from Odoo, then goes live", async () => {
    const sim = await startSim();
    const first = await startTestHub(pullFrom(sim));
    const before = await connectReady(first, DEVICE);
    changes(sim, 0, 5);
    await waitFor(() => before.events.length === 5, { what: "5 events" });
    await pulledAll(first, sim);
    await ackLast(before);
    const acked = sim.rows()[4]?.id;
    await waitFor(() => sim.syncState(2, "tablet-1")?.last_event_id === acked, {
      what: "the mirror",
    });
    const cursor = before.events.at(-1)?.cursor;
    before.socket.disconnect();
    await first.close();

    changes(sim, 5, 9);
    // A new embedded hub: empty log, new epoch, pulling from Odoo's newest row on.
    const second = await pulling(
      await startTestHub(pullFrom(sim, { ODOO_PULL_START: "latest", PORT: String(first.port) })),
    );
    const after = await connectReady(second, { ...DEVICE, cursor });
    expect(after.ready[0]).toMatchObject({ source: "odoo", recovered: true, replayed: 4 });
    expect(names(after)).toEqual(["R5", "R6", "R7", "R8"]);
    expect(after.resyncs).toEqual([]);
    changes(sim, 9, 10);
    await waitFor(() => after.events.length === 5, { what: "a live event after the catch-up" });
    expect(names(after)).toEqual(["R5", "R6", "R7", "R8", "R9"]);
  });

  it("fills the log in below its coverage without sending the live devices away", async () => {
    const sim = await startSim();
    const first = await startTestHub(pullFrom(sim));
    const before = await connectReady(first, DEVICE);
    changes(sim, 0, 3);
    await waitFor(() => before.events.length === 3, { what: "3 events" });
    await pulledAll(first, sim);
    const cursor = before.events.at(-1)?.cursor;
    before.socket.disconnect();
    await first.close();
    changes(sim, 3, 6);
    const second = await pulling(
      await startTestHub(pullFrom(sim, { ODOO_PULL_START: "latest", PORT: String(first.port) })),
    );
    // A device already live on the new hub, with an event delivered live.
    const watcher = await connectReady(second, { ...DEVICE, deviceId: "desk-2" });
    changes(sim, 6, 7);
    await waitFor(() => watcher.events.length === 1, { what: "a live event at the watcher" });
    // The returning device's catch-up appends the rows below the log's coverage (history).
    const after = await connectReady(second, { ...DEVICE, cursor });
    expect(after.ready[0]).toMatchObject({ source: "odoo", recovered: true });
    expect(names(after)).toEqual(["R3", "R4", "R5", "R6"]);
    changes(sim, 7, 8);
    await waitFor(() => watcher.events.length === 2 && after.events.length === 5, {
      what: "the next live event at both devices",
    });
    // The history took seqs between the two live events: not a gap in the live feed.
    expect(watcher.socket.connected && after.socket.connected).toBe(true);
    expect(names(watcher)).toEqual(["R6", "R7"]);
    expect(names(after)).toEqual(["R3", "R4", "R5", "R6", "R7"]);
  });

  it("serves the catch-up from the hub's own log when it reaches back to the device's Odoo cursor", async () => {
    const sim = await startSim();
    const hub = await startTestHub(pullFrom(sim));
    const first = await connectReady(hub, { ...DEVICE, deviceId: "phone-7" });
    changes(sim, 0, 3);
    await waitFor(() => first.events.length === 3, { what: "3 events" });
    await pulledAll(hub, sim);
    await ackLast(first);
    await waitFor(() => sim.syncState(2, "phone-7")?.last_event_id === sim.rows()[2]?.id, {
      what: "the mirror",
    });
    first.socket.disconnect();
    changes(sim, 3, 6);
    await pulledAll(hub, sim);
    // The device lost its local cursor and the hub never saw its ack: only Odoo knows where it is.
    const again = await connectReady(hub, {
      ...DEVICE,
      deviceId: "phone-7",
      cursor: "0000000000000000-1",
    });
    expect(again.ready[0]).toMatchObject({ source: "hub", recovered: true });
    expect(names(again)).toEqual(["R3", "R4", "R5"]);
  });

  it("sends resync when Odoo cannot prove continuity either (the device never synced)", async () => {
    const sim = await startSim();
    // A hub that did not pull: its cursors name no ledger position.
    const first = await startTestHub();
    const before = await connectReady(first, DEVICE);
    for (const id of [1, 2]) {
      const change = {
        ...saleOrderCreate,
        recordId: id,
        payload: { ...saleOrderCreate.payload, id },
      };
      await push(first, asEnvelope(change, 500 + id));
    }
    await waitFor(() => before.events.length === 2, { what: "2 events" });
    const cursor = before.events.at(-1)?.cursor;
    before.socket.disconnect();
    await first.close();
    const second = await pulling(await startTestHub(pullFrom(sim, { ODOO_PULL_START: "latest" })));
    const after = await connectReady(second, { ...DEVICE, cursor });
    expect(after.resyncs.map((r) => r.reason)).toEqual(["epoch_changed"]);
    expect(after.ready[0]).toMatchObject({ source: "none", recovered: false });
  });

  it("catches up from the ledger position a cursor names, without asking Odoo where it was", async () => {
    const sim = await startSim();
    const first = await startTestHub(pullFrom(sim));
    const before = await connectReady(first, DEVICE);
    changes(sim, 0, 3);
    await waitFor(() => before.events.length === 3, { what: "3 events" });
    // Never acked: Odoo's user.sync.state knows nothing of this device.
    const cursor = before.events.at(-1)?.cursor;
    before.socket.disconnect();
    await first.close();
    changes(sim, 3, 5);
    const second = await pulling(await startTestHub(pullFrom(sim, { ODOO_PULL_START: "latest" })));
    const syncReads = sim.requests().filter((r) => r.path.includes("sync-state")).length;
    const after = await connectReady(second, { ...DEVICE, cursor });
    expect(after.ready[0]).toMatchObject({ source: "odoo", recovered: true, replayed: 2 });
    expect(names(after)).toEqual(["R3", "R4"]);
    expect(sim.requests().filter((r) => r.path.includes("sync-state")).length).toBe(syncReads);
  });
});
