/** Several hub nodes pulling one Odoo: only the lease holder pulls, another takes over. */
import type { OdooSim } from "@odoo-live/odoo-sim";
import type { Hub } from "@odoo-live/server";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { connectReady, mintToken, startTestHub, type RecordingSocket } from "./helpers/hub.js";
import { redisSkipReason, startRedis } from "./helpers/redis.js";
import { pullFrom, saleChange, startSim } from "./helpers/sim.js";
import { waitFor } from "./helpers/wait.js";

const names = (client: RecordingSocket) => client.events.map((e) => e.record["name"]);
const expected = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`);
const poller = (hub: Hub) => hub.pollers.get("default");

function changes(sim: OdooSim, count: number, prefix: string): void {
  for (let i = 0; i < count; i++) sim.change(saleChange(`${prefix}${i}`));
}

let counter = 0;

describe.skipIf(redisSkipReason() !== undefined)("one puller per tenant across hubs", () => {
  it("pulls from the lease holder only, and another node takes over when it stops", async () => {
    const sim = await startSim();
    const redis = await startRedis();
    const env = { ...pullFrom(sim), REDIS_URL: redis.url, HUB_REDIS_PREFIX: `lease${++counter}:` };
    const a = await startTestHub(env);
    await waitFor(() => poller(a)?.stable !== undefined, { what: "node A to lead" });
    const b = await startTestHub(env);
    const device = await connectReady(b, {
      token: mintToken({ uid: 2 }),
      deviceId: "tablet-1",
      models: ["sale.order"],
    });

    changes(sim, 10, "A");
    await waitFor(() => device.events.length >= 10, { what: "10 events pulled by node A" });
    expect(names(device)).toEqual(expected(10, "A"));
    // B asked for the lease (at least once a second) but never got it: it never opened a window.
    expect(poller(a)?.leading).toBe(true);
    expect(poller(b)?.leading).toBe(false);
    expect(poller(b)?.stable).toBeUndefined();
    expect(poller(a)?.stable).toBe(sim.rows().at(-1)?.id);

    await a.close();
    changes(sim, 10, "B");
    await waitFor(() => poller(b)?.leading === true, { timeoutMs: 3000, what: "B to take over" });
    await waitFor(() => device.events.length >= 20, { what: "10 events pulled by node B" });
    expect(names(device)).toEqual([...expected(10, "A"), ...expected(10, "B")]);
    expect(device.events.map((e) => e.origin.updateWebhookId)).toEqual(sim.rows().map((r) => r.id));
    expect(device.resyncs).toEqual([]);
    expect((await b.log.head("default")).seq).toBe(20);
  });

  it("waits while a dead node's lease runs, then takes over", async () => {
    const sim = await startSim();
    const redis = await startRedis();
    const prefix = `lease${++counter}:`;
    const env = { ...pullFrom(sim), REDIS_URL: redis.url, HUB_REDIS_PREFIX: prefix };
    // A node that acquired the lease and then died: nobody renews it, Redis expires it.
    const raw = new Redis(redis.url);
    const lease = `${prefix}{default}:pull-lease`;
    const token = await raw.incr(`${lease}-token`);
    await raw.hset(lease, { holder: "dead-node", token });
    await raw.pexpire(lease, 1500);
    raw.disconnect();
    const b = await startTestHub(env);
    const device = await connectReady(b, {
      token: mintToken({ uid: 2 }),
      deviceId: "tablet-2",
      models: ["sale.order"],
    });
    changes(sim, 5, "B");
    expect(poller(b)?.leading).toBe(false);
    await waitFor(() => poller(b)?.leading === true, { what: "B to take over" });
    await waitFor(() => device.events.length >= 5, { what: "5 events pulled by node B" });
    expect(names(device)).toEqual(expected(5, "B"));
  });
});
