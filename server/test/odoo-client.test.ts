import { describe, expect, test } from "vitest";
import { RestLedger } from "../src/odoo/ledger-rest.js";
import { RpcLedger } from "../src/odoo/ledger-rpc.js";
import { OdooClient } from "../src/odoo/odoo-client.js";
import { OdooError } from "../src/odoo/odoo-error.js";
import { saleChange, SIM_API_KEY, startSim } from "../../test/helpers/sim.js";

const endpoint = (url: string, timeoutMs = 2000) => ({ url, timeoutMs });

async function failure(promise: Promise<unknown>): Promise<OdooError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OdooError);
  return error as OdooError;
}

describe("OdooClient (REST)", () => {
  test("pulls, creates and updates sync states, reads health", async () => {
    const sim = await startSim();
    const client = new OdooClient(endpoint(sim.url), SIM_API_KEY);
    sim.change(saleChange("S1"));
    const page = await client.pull({ last_event_id: 0, limit: 10 });
    expect(page.events.map((e) => e.payload?.["name"])).toEqual(["S1"]);
    const created = await client.syncState({
      user_id: 2,
      device_id: "tablet-1",
      app_type: "sales_app",
    });
    expect(created).toMatchObject({ last_event_id: 0, sync_count: 0 });
    const updated = await client.updateSyncState({
      user_id: 2,
      device_id: "tablet-1",
      last_event_id: 5,
      events_synced: 1,
    });
    expect(updated).toMatchObject({ last_event_id: 5, sync_count: 1 });
    expect((await client.health()).pending_events).toBe(1);
  });

  test("a 200 with success: true and an error key is a failure", async () => {
    const sim = await startSim();
    sim.setFault("hidden-error");
    const error = await failure(
      new OdooClient(endpoint(sim.url), SIM_API_KEY).pull({ last_event_id: 0, limit: 10 }),
    );
    expect(error.kind).toBe("api");
    expect(error.retryable).toBe(true);
  });

  test("Odoo's HTML error page is named as such", async () => {
    const sim = await startSim();
    sim.setFault("down");
    const error = await failure(
      new OdooClient(endpoint(sim.url), SIM_API_KEY).pull({ last_event_id: 0, limit: 10 }),
    );
    expect(error).toMatchObject({ kind: "http", status: 503 });
    expect(error.message).toMatch(/not JSON/);
  });

  test("a wrong API key is an auth failure, not worth retrying", async () => {
    const sim = await startSim();
    const error = await failure(
      new OdooClient(endpoint(sim.url), "wrong-key").pull({ last_event_id: 0, limit: 10 }),
    );
    expect(error).toMatchObject({ kind: "auth", status: 401, retryable: false });
    expect(error.message).toMatch(/Authentication required/);
  });

  test("an update of a state that does not exist fails with Odoo's message", async () => {
    const sim = await startSim();
    const client = new OdooClient(endpoint(sim.url), SIM_API_KEY);
    const error = await failure(
      client.updateSyncState({
        user_id: 2,
        device_id: "nobody-1",
        last_event_id: 1,
        events_synced: 0,
      }),
    );
    expect(error).toMatchObject({ kind: "api", status: 404 });
    expect(error.message).toMatch(/Sync state not found/);
  });

  test("a slow Odoo times out", async () => {
    const sim = await startSim();
    sim.setFault({ slowMs: 1000 });
    const error = await failure(new OdooClient(endpoint(sim.url, 100), SIM_API_KEY).health());
    expect(error.kind).toBe("timeout");
  });

  test("a refused connection is a network failure", async () => {
    const sim = await startSim();
    sim.setFault("refuse");
    const error = await failure(new OdooClient(endpoint(sim.url), SIM_API_KEY).health());
    expect(error.kind).toBe("network");
  });
});

describe("ledgers", () => {
  test("REST finds the newest row by probing, across gaps", async () => {
    const sim = await startSim();
    const ledger = new RestLedger(new OdooClient(endpoint(sim.url), SIM_API_KEY));
    expect(await ledger.newestId()).toBe(0);
    for (let i = 0; i < 37; i++) sim.change({ ...saleChange(`G${i}`), rollback: i % 5 === 0 });
    const newest = sim.rows().at(-1)?.id;
    expect(await ledger.newestId()).toBe(newest);
  });

  test("REST finds the newest row of a ledger beyond one page exactly, in few reads", async () => {
    const sim = await startSim();
    const ledger = new RestLedger(new OdooClient(endpoint(sim.url), SIM_API_KEY));
    let made = 0;
    for (const size of [199, 200, 201, 401, 777, 1600, 3000]) {
      for (; made < size; made++)
        sim.change({ ...saleChange(`P${made}`), rollback: made % 7 === 3 });
      const newest = sim.rows().at(-1)?.id;
      const before = sim.requests().length;
      expect(await ledger.newestId()).toBe(newest);
      expect(sim.requests().length - before).toBeLessThanOrEqual(2 + 2 * Math.log2(size));
    }
  });

  test("REST starts from a row the caller knows: two pages behind costs a few reads, not a search from 0", async () => {
    const sim = await startSim();
    const ledger = new RestLedger(new OdooClient(endpoint(sim.url), SIM_API_KEY));
    for (let made = 0; made < 3000; made++)
      sim.change({ ...saleChange(`H${made}`), rollback: made % 7 === 3 });
    const rows = sim.rows();
    const newest = rows.at(-1)?.id;
    const reads = async (atLeast?: number) => {
      const before = sim.requests().length;
      expect(await ledger.newestId(atLeast)).toBe(newest);
      return sim.requests().length - before;
    };
    const fromZero = await reads();
    const fromKnown = await reads(rows.at(-400)?.id);
    // Above the known row: a page, one gallop, one bisection, the last page; from 0, more.
    expect(fromKnown).toBe(4);
    expect(fromZero).toBeGreaterThan(fromKnown + 2);
    expect([await ledger.newestId(newest), await reads(rows.at(-150)?.id)]).toEqual([newest, 1]);
  });

  test("REST finds the newest row exactly, for every ledger size up to 70 rows", async () => {
    const sim = await startSim();
    const ledger = new RestLedger(new OdooClient(endpoint(sim.url), SIM_API_KEY));
    for (let size = 1; size <= 70; size++) {
      const { updateWebhookId } = sim.change(saleChange(`N${size}`));
      expect(await ledger.newestId()).toBe(updateWebhookId);
    }
  });

  test("JSON-RPC reads processed rows, converts Odoo's RPC formats, and refuses a bad key", async () => {
    const sim = await startSim({ db: "odoo", rpc: { login: "admin", uid: 2, key: "rpc-key" } });
    const { updateWebhookId } = sim.change({ ...saleChange("J1"), userId: 6 });
    sim.markProcessed([updateWebhookId]);
    const ledger = new RpcLedger(endpoint(sim.url), { db: "odoo", uid: 2, key: "rpc-key" });
    const page = await ledger.readAfter(0, 10);
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({ id: updateWebhookId, user_id: 6, model: "sale.order" });
    expect(page.rows[0]?.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await ledger.newestId()).toBe(updateWebhookId);
    const denied = new RpcLedger(endpoint(sim.url), { db: "odoo", uid: 2, key: "wrong" });
    const error = await failure(denied.readAfter(0, 10));
    expect(error.kind).toBe("auth");
  });
});
