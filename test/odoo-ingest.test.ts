/** Issue: every change Odoo records reaches the device once, by pull, by push, or both. */
import type { OdooSim } from "@odoo-live/odoo-sim";
import { describe, expect, it } from "vitest";
import {
  connectReady,
  mintToken,
  PUSH_TOKEN,
  startTestHub,
  type RecordingSocket,
} from "./helpers/hub.js";
import { pullFrom, saleChange, startSim } from "./helpers/sim.js";
import { waitFor } from "./helpers/wait.js";

const names = (client: RecordingSocket) => client.events.map((e) => e.record["name"]);
const expected = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`);

function device(hub: Parameters<typeof connectReady>[0]) {
  return connectReady(hub, {
    token: mintToken({ uid: 2 }),
    deviceId: "tablet-1",
    models: ["sale.order"],
  });
}

async function changes(sim: OdooSim, count: number, prefix: string): Promise<void> {
  for (let i = 0; i < count; i++) sim.change(saleChange(`${prefix}${i}`));
}

function pushTo(sim: OdooSim, hub: { url: string }): void {
  sim.subscribe({
    url: `${hub.url}/webhooks/odoo`,
    authType: "bearer",
    token: PUSH_TOKEN,
    cronDelayMs: 0,
  });
}

describe("ingest from Odoo", () => {
  it("pull only: every change once, in ledger order", async () => {
    const sim = await startSim();
    const hub = await startTestHub(pullFrom(sim));
    const client = await device(hub);
    await changes(sim, 20, "P");
    await waitFor(() => client.events.length >= 20, { what: "20 pulled events" });
    expect(names(client)).toEqual(expected(20, "P"));
    expect(client.events.map((e) => e.origin.updateWebhookId)).toEqual(sim.rows().map((r) => r.id));
  });

  it("push only: every change once although Odoo sends each in both shapes", async () => {
    const sim = await startSim();
    const hub = await startTestHub();
    pushTo(sim, hub);
    const client = await device(hub);
    await changes(sim, 20, "H");
    await waitFor(() => sim.pushes().length === 40, { what: "40 pushes" });
    expect(sim.pushes().map((p) => p.status)).toEqual(Array(40).fill(200));
    await waitFor(() => client.events.length >= 20, { what: "20 pushed events" });
    expect(names(client)).toEqual(expected(20, "H"));
    expect((await hub.log.head("default")).seq).toBe(20);
  });

  it("push and pull at once: every change once", async () => {
    const sim = await startSim();
    const hub = await startTestHub(pullFrom(sim));
    pushTo(sim, hub);
    const client = await device(hub);
    await changes(sim, 20, "B");
    await waitFor(
      () =>
        sim.pushes().length === 40 && hub.pollers.get("default")?.stable === sim.rows().at(-1)?.id,
      {
        what: "every push and pull",
      },
    );
    await waitFor(() => client.events.length >= 20, { what: "20 events" });
    expect([...names(client)].sort()).toEqual(expected(20, "B").sort());
    expect((await hub.log.head("default")).seq).toBe(20);
  });

  it("never skips a row committed late (5% up to 5 s late)", async () => {
    const sim = await startSim();
    const hub = await startTestHub(pullFrom(sim));
    const client = await device(hub);
    const committed: Promise<void>[] = [];
    for (let i = 0; i < 100; i++) {
      const late = i % 20 === 7 ? { commitDelayMs: 1000 + (i % 5) * 1000 } : {};
      committed.push(sim.change(saleChange(`L${i}`, 2, late)).committed);
    }
    await Promise.all(committed);
    await waitFor(() => client.events.length >= 100, { timeoutMs: 15_000, what: "100 events" });
    expect([...names(client)].sort()).toEqual(expected(100, "L").sort());
    expect(new Set(client.events.map((e) => e.id)).size).toBe(100);
  });

  it("loses nothing while Odoo is down, and recovers by itself", async () => {
    const sim = await startSim();
    const hub = await startTestHub(pullFrom(sim));
    const client = await device(hub);
    sim.setFault("down");
    await changes(sim, 10, "D");
    const before = sim.requests().length;
    await waitFor(() => sim.requests().length >= before + 3, { what: "pulls refused while down" });
    expect(client.events).toEqual([]);
    sim.setFault(null);
    await waitFor(() => client.events.length >= 10, {
      timeoutMs: 10_000,
      what: "10 events after recovery",
    });
    expect(names(client)).toEqual(expected(10, "D"));
  });

  it("does not trust a 200 that hides an error, and carries on after it", async () => {
    const sim = await startSim();
    const hub = await startTestHub(pullFrom(sim));
    const client = await device(hub);
    sim.setFault("hidden-error");
    await changes(sim, 5, "E");
    const before = sim.requests().length;
    await waitFor(() => sim.requests().length >= before + 2, {
      what: "pulls answered with a hidden error",
    });
    sim.setFault(null);
    await waitFor(() => client.events.length >= 5, { timeoutMs: 10_000, what: "5 events" });
    expect(names(client)).toEqual(expected(5, "E"));
  });

  it("JSON-RPC mode reads rows another consumer already marked processed", async () => {
    const sim = await startSim({ db: "odoo", rpc: { login: "admin", uid: 2, key: "sim-rpc-key" } });
    const rpc = { ODOO_DB: "odoo", ODOO_RPC_UID: "2", ODOO_RPC_KEY: "sim-rpc-key" };
    const hub = await startTestHub(pullFrom(sim, rpc));
    const client = await device(hub);
    for (let i = 0; i < 5; i++) {
      const { updateWebhookId } = sim.change(saleChange(`M${i}`));
      sim.markProcessed([updateWebhookId]); // BridgeCore got there first: /pull no longer shows it
    }
    await waitFor(() => client.events.length >= 5, { what: "5 events read over JSON-RPC" });
    expect(names(client)).toEqual(expected(5, "M"));
    expect(sim.requests().some((r) => r.path === "/jsonrpc")).toBe(true);
    expect(sim.requests().some((r) => r.path === "/api/webhooks/pull")).toBe(false);
  });

  it("marks rows processed only when configured, and only once they are in the log", async () => {
    const sim = await startSim();
    const hub = await startTestHub(pullFrom(sim, { ODOO_MARK_PROCESSED: "true" }));
    const client = await device(hub);
    await changes(sim, 5, "K");
    await waitFor(() => sim.rows().every((r) => r.is_processed), { what: "rows marked processed" });
    expect(names(client)).toEqual(expected(5, "K"));
    const marks = sim.requests().filter((r) => r.path === "/api/webhooks/mark-processed");
    expect(marks.length).toBeGreaterThan(0);
    const plain = await startSim();
    const other = await startTestHub(pullFrom(plain));
    const watcher = await device(other);
    await changes(plain, 3, "N");
    await waitFor(() => watcher.events.length >= 3, { what: "3 events" });
    expect(plain.rows().some((r) => r.is_processed)).toBe(false);
    expect(plain.requests().some((r) => r.path === "/api/webhooks/mark-processed")).toBe(false);
  });
});
