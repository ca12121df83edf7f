/**
 * Record rules at the edge (issue 13), with real sockets: a token's `companies` and `domains`
 * and a subscription's `where` bind live delivery, replay and deep resume from Odoo; compacted
 * catch-up leaves each record on its latest snapshot.
 */
import { connect, memoryStorage } from "@odoo-live/client";
import type { Ready } from "@odoo-live/protocol";
import { asEnvelope, saleOrderWrite } from "@odoo-live/protocol/fixtures";
import type { Hub } from "@odoo-live/server";
import { describe, expect, it } from "vitest";
import {
  connectRaw,
  connectReady,
  mintToken,
  push,
  startTestHub,
  type RecordingSocket,
} from "./helpers/hub.js";
import { redisSkipReason, startRedis } from "./helpers/redis.js";
import { pullFrom, startSim } from "./helpers/sim.js";
import { waitFor } from "./helpers/wait.js";

let eventId = 50_000;
let second = 0;

/** A sale order write of `recordId` with these fields, a change of its own each time. */
function order(recordId: number, fields: Record<string, unknown>) {
  const at = new Date(Date.UTC(2026, 10, 29, 9) + ++second * 1000).toISOString().slice(0, 19);
  const payload = { ...saleOrderWrite.payload, id: recordId, write_date: at, ...fields };
  return asEnvelope({ ...saleOrderWrite, recordId, timestamp: at, payload }, ++eventId);
}

async function pushOrders(hub: Hub, orders: ReturnType<typeof order>[]): Promise<void> {
  for (const body of orders) expect((await push(hub, body)).status).toBe(200);
}

const company = (id: number) => ({ company_id: { id, name: `Company ${id}` } });
const names = (device: RecordingSocket) => device.events.map((e) => e.record["name"]);

describe("record rules", () => {
  it("a token for company 1 never receives company 2's records: live, replay and deep resume", async () => {
    const sim = await startSim();
    const hub = await startTestHub(pullFrom(sim));
    const token = mintToken({ uid: 2, companies: [1] });
    const auth = { token, deviceId: "company-1", models: ["sale.order"] };
    const live = await connectReady(hub, auth);
    await pushOrders(hub, [
      order(1, { name: "one", ...company(1) }),
      order(2, { name: "two", ...company(2) }),
      order(3, { name: "none", company_id: false }),
    ]);
    await waitFor(() => live.events.length === 2, { what: "company 1's and the companyless" });
    const replay = await connectReady(hub, {
      ...auth,
      deviceId: "company-1b",
      cursor: live.ready[0]?.cursor,
    });
    await pushOrders(hub, [
      order(4, { name: "four", ...company(2) }),
      order(5, { name: "five", ...company(1) }),
    ]);
    await waitFor(() => live.events.length === 3 && replay.events.length === 3, { what: "five" });
    expect(names(live)).toEqual(["one", "none", "five"]);
    expect(names(replay)).toEqual(["one", "none", "five"]);
    const fromStart = await connectReady(hub, {
      ...auth,
      deviceId: "company-1c",
      cursor: `${(await hub.log.head("default")).epoch}-0`,
    });
    expect(names(fromStart)).toEqual(["one", "none", "five"]);
    // Deep resume from Odoo's ledger, on a hub started after these rows (it pulls from the newest
    // on): rows of both companies read from Odoo, only company 1's delivered.
    for (const { recordId, id } of [
      { recordId: 6, id: 1 },
      { recordId: 7, id: 2 },
    ])
      sim.change({
        model: "sale.order",
        recordId,
        op: "write",
        via: "jsonrpc",
        payload: { id: recordId, name: `ledger-${id}`, user_id: false, ...company(id) },
      });
    const later = await startTestHub(pullFrom(sim, { ODOO_PULL_START: "latest" }));
    await waitFor(() => later.pollers.get("default")?.stable !== undefined, { what: "pulling" });
    const deep = await connectReady(later, { ...auth, deviceId: "company-1d", cursor: "odoo-0" });
    expect(deep.ready[0]?.source).toBe("odoo");
    expect(deep.events.map((e) => e.record["company_id"])).not.toContainEqual(
      company(2).company_id,
    );
    expect(names(deep)).toContain("ledger-1");
  });

  it("a domain filter delivers exactly the matching records; a narrower where cannot widen it", async () => {
    const hub = await startTestHub();
    const token = mintToken({ uid: 2, domains: { "sale.order": [["state", "=", "sale"]] } });
    const plain = await connectReady(hub, { token, deviceId: "domain-1", models: ["sale.order"] });
    const narrowed = await connectReady(hub, {
      token,
      deviceId: "domain-2",
      models: ["sale.order"],
      where: {
        "sale.order": [
          ["state", "in", ["sale", "draft"]],
          ["amount_total", ">", 100],
        ],
      },
    });
    await pushOrders(hub, [
      order(10, { name: "draft", state: "draft", amount_total: 500 }),
      order(11, { name: "big sale", state: "sale", amount_total: 500 }),
      order(12, { name: "small sale", state: "sale", amount_total: 50 }),
    ]);
    await waitFor(() => plain.events.length === 2 && narrowed.events.length === 1, {
      what: "the matching orders",
    });
    expect(names(plain)).toEqual(["big sale", "small sale"]);
    expect(names(narrowed)).toEqual(["big sale"]);
    // A later subscribe changes the narrowing at once.
    expect(
      await narrowed.socket.emitWithAck("subscribe", {
        models: ["sale.order"],
        where: { "sale.order": [["amount_total", "<", 100]] },
      }),
    ).toMatchObject({ ok: true });
    await pushOrders(hub, [order(13, { name: "small again", state: "sale", amount_total: 10 })]);
    await waitFor(() => narrowed.events.length === 2, { what: "the new narrowing" });
    expect(names(narrowed)).toEqual(["big sale", "small again"]);
  });

  it("refuses bad domains: in a token (token_invalid), a handshake or a subscribe (named)", async () => {
    const hub = await startTestHub();
    const refusal = async (auth: Record<string, unknown>) =>
      (await connectRaw(hub, { deviceId: "bad-domain", ...auth }).connectError) as Error & {
        data?: { code?: string };
      };
    const unknownOperator = await refusal({
      token: mintToken({ domains: { "sale.order": [["state", "contains", "sale"]] } }),
    });
    expect(unknownOperator.data?.code).toBe("token_invalid");
    expect(unknownOperator.message).toMatch(/domains/);
    const notAList = await refusal({
      token: mintToken({ domains: { "sale.order": [["user_id", "in", 2]] } }),
    });
    expect(notAList.message).toMatch(/must be a list/);
    const where = await refusal({
      token: mintToken(),
      models: ["sale.order"],
      where: { "sale.order": ["&", ["state", "=", "sale"]] },
    });
    expect(where.data?.code).toBe("invalid_handshake");
    const device = await connectReady(hub, { token: mintToken(), deviceId: "domain-3" });
    expect(
      await device.socket.emitWithAck("subscribe", {
        models: ["sale.order"],
        where: { "res.partner": [["name", "=", "x"]] },
      }),
    ).toMatchObject({ ok: false, error: { code: "invalid_request" } });
  });
});

/** Each hub runs with its memory log and on Redis (whose log compacts from per-record indexes). */
const logs: [string, () => Promise<Hub>][] = [
  ["memory log", () => startTestHub()],
  ["Redis log", async () => startTestHub({ REDIS_URL: (await startRedis()).url })],
];

describe.each(logs)("compacted catch-up, %s", (name, start) => {
  it.skipIf(name === "Redis log" && redisSkipReason() !== undefined)(
    "sends each record's latest event only, says how many it left out, and never compacts live",
    async () => {
      const hub = await start();
      const token = mintToken({ uid: 2 });
      const first = await connectReady(hub, {
        token,
        deviceId: "compact-1",
        models: ["sale.order"],
      });
      const cursor = first.ready[0]?.cursor;
      first.socket.disconnect();
      const missed = [];
      for (let round = 0; round < 6; round++)
        for (let id = 20; id < 25; id++) missed.push(order(id, { name: `R${id}-${round}` }));
      missed.push(order(24, { name: "R24-gone", state: "cancel" }));
      await pushOrders(hub, missed);
      const compacted = await connectReady(hub, {
        token,
        deviceId: "compact-1",
        models: ["sale.order"],
        cursor,
        compact: true,
      });
      expect(names(compacted)).toEqual(["R20-5", "R21-5", "R22-5", "R23-5", "R24-gone"]);
      expect(compacted.ready[0]).toMatchObject({ replayed: 5, compacted: 26 });
      await pushOrders(hub, [order(20, { name: "R20-live-1" }), order(20, { name: "R20-live-2" })]);
      await waitFor(() => compacted.events.length === 7, { what: "both live writes" });
      const full = await connectReady(hub, { token, deviceId: "compact-2", cursor });
      expect(full.ready[0]).toMatchObject({ replayed: 33 });
      expect(full.ready[0]?.compacted).toBeUndefined();
    },
  );

  it.skipIf(name === "Redis log" && redisSkipReason() !== undefined)(
    "with record rules, leaves each record where a full replay would: on its last allowed snapshot",
    async () => {
      const hub = await start();
      const token = mintToken({ uid: 2, companies: [1] });
      const device = { token, deviceId: "compact-rules", models: ["sale.order"] };
      const cursor = (await connectReady(hub, device)).ready[0]?.cursor;
      // Order 30 moves to company 2 after two writes in company 1; order 31 stays.
      await pushOrders(hub, [
        order(30, { name: "O30-a", ...company(1) }),
        order(31, { name: "O31-a", ...company(1) }),
        order(30, { name: "O30-b", ...company(1) }),
        order(30, { name: "O30-moved", ...company(2) }),
        order(31, { name: "O31-b", ...company(1) }),
      ]);
      const full = await connectReady(hub, { ...device, deviceId: "full-rules", cursor });
      expect(names(full)).toEqual(["O30-a", "O31-a", "O30-b", "O31-b"]);
      const compacted = await connectReady(hub, { ...device, cursor, compact: true });
      expect(names(compacted)).toEqual(["O30-b", "O31-b"]);
      expect(compacted.ready[0]).toMatchObject({ replayed: 2, compacted: 2 });
    },
  );
});

describe("the client library's where and compact", () => {
  it("narrows its subscription, and catches up compacted on every reconnect", async () => {
    const hub = await startTestHub();
    const storage = memoryStorage();
    const seen: string[] = [];
    const ready: Ready[] = [];
    const start = () => {
      const client = connect({
        url: hub.url,
        token: () => mintToken({ uid: 2 }),
        deviceId: "compact-app",
        models: ["sale.order"],
        where: { "sale.order": [["state", "=", "sale"]] },
        compact: true,
        storage,
        reconnect: false,
      });
      client.on("event", (event) => void seen.push(String(event.record["name"])));
      client.on("ready", (r) => void ready.push(r));
      return client;
    };
    const first = start();
    await waitFor(() => ready.length === 1, { what: "ready" });
    await pushOrders(hub, [
      order(30, { name: "draft", state: "draft" }),
      order(31, { name: "sale-0", state: "sale" }),
    ]);
    await waitFor(() => seen.length === 1, { what: "the sale order" });
    await first.close();
    await pushOrders(
      hub,
      Array.from({ length: 9 }, (_, i) => order(31, { name: `sale-${i + 1}`, state: "sale" })),
    );
    const again = start();
    await waitFor(() => ready.length === 2, { what: "ready again" });
    expect(seen).toEqual(["sale-0", "sale-9"]);
    expect(ready[1]).toMatchObject({ replayed: 1, compacted: 8 });
    await again.close();
  });
});
