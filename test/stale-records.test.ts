/**
 * A record never regresses on a device (issue 12): the first of two changes of one record is
 * pushed and refused, the second is pushed and accepted, and the first reaches the hub only by
 * pull, after the second. The device gets both, the older one marked stale, and a RecordView
 * ends on the newer snapshot, live and in a replay.
 */
import { RecordView } from "@odoo-live/client";
import { describe, expect, it } from "vitest";
import { connectReady, mintToken, PUSH_TOKEN, startTestHub } from "./helpers/hub.js";
import { pullFrom, startSim } from "./helpers/sim.js";
import { waitFor } from "./helpers/wait.js";

const ORDER = 4242;

function write(name: string, writeDate: string) {
  return {
    model: "sale.order",
    recordId: ORDER,
    op: "write" as const,
    via: "jsonrpc" as const,
    payload: {
      id: ORDER,
      name,
      state: "sale",
      user_id: { id: 2, name: "User 2" },
      write_date: writeDate,
      _changed_fields: ["name"],
    },
  };
}

describe("stale records", () => {
  it("an older change that arrives after a newer one is delivered marked stale, and the view keeps the newer", async () => {
    const sim = await startSim();
    const hub = await startTestHub(pullFrom(sim));
    const url = `${hub.url}/webhooks/odoo`;
    const device = await connectReady(hub, {
      token: mintToken({ uid: 2 }),
      deviceId: "stale-1",
      models: ["sale.order"],
    });
    // The pull API fails while both changes are pushed: their rows are read only afterwards.
    await waitFor(() => hub.pollers.get("default")?.stable !== undefined, { what: "pulling" });
    sim.setFault("hidden-error");
    sim.subscribe({ url, authType: "bearer", token: "a-wrong-push-token-0123", cronDelayMs: null });
    sim.change(write("first", "2026-11-29T21:48:54.212265"));
    await waitFor(() => sim.pushes().length === 1, { what: "the refused push" });
    sim.subscribe({ url, authType: "bearer", token: PUSH_TOKEN, cronDelayMs: null });
    sim.change(write("second", "2026-11-29T21:48:58.000001"));
    await waitFor(() => device.events.length === 1, { what: "the accepted push" });
    sim.setFault(null);
    await waitFor(() => device.events.length === 2, { timeoutMs: 10_000, what: "both changes" });
    expect(sim.pushes().map((p) => p.status)).toEqual([401, 200]);
    expect(device.events.map((e) => [e.record["name"], e.stale ?? false])).toEqual([
      ["second", false],
      ["first", true],
    ]);
    const live = new RecordView();
    for (const event of device.events) live.apply(event);
    expect(live.get("sale.order", ORDER)?.["name"]).toBe("second");

    const again = await connectReady(hub, {
      token: mintToken({ uid: 2 }),
      deviceId: "stale-2",
      cursor: device.ready[0]?.cursor,
    });
    expect(again.events.map((e) => e.stale ?? false)).toEqual([false, true]);
    const replayed = new RecordView();
    for (const event of again.events) replayed.apply(event);
    expect(replayed.get("sale.order", ORDER)?.["name"]).toBe("second");
  });
});
