/** Per-address limits that fit real networks: an office behind one address, a token guesser. */
import { describe, expect, it } from "vitest";
import { connectRaw, mintToken, push, PUSH_TOKEN, startTestHub } from "./helpers/hub.js";
import { redisSkipReason, startRedis, uniquePrefix } from "./helpers/redis.js";
import { waitFor } from "./helpers/wait.js";
import { asEnvelope, saleOrderCreate } from "@odoo-live/protocol/fixtures";

/** The defaults: the test helper's generous overrides unset (an empty value is no value). */
const DEFAULT_LIMITS = { HUB_CONNECT_RATE_PER_IP: "", HUB_CONNECT_BURST_PER_IP: "" };

interface ConnectError extends Error {
  data?: { code?: string };
}

describe("handshake limits", () => {
  it("500 devices behind one address reconnecting together all get in with the defaults", async () => {
    const hub = await startTestHub(DEFAULT_LIMITS);
    const started = Date.now();
    const devices = Array.from({ length: 500 }, (_, i) =>
      connectRaw(hub, { token: mintToken({ uid: 2 + (i % 50) }), deviceId: `office-${i}` }),
    );
    const refused: string[] = [];
    for (const device of devices)
      void device.connectError.then((error) => refused.push(error.message));
    await waitFor(() => devices.every((d) => d.ready.length === 1) || refused.length > 0, {
      timeoutMs: 30_000,
      what: "500 devices ready",
    });
    console.log(`500 devices behind one address ready in ${Date.now() - started} ms`);
    expect(refused).toEqual([]);
  }, 40_000);

  it.skipIf(redisSkipReason() !== undefined)(
    "hubs on one Redis share the limit: an address's handshakes count on every node",
    async () => {
      const redis = await startRedis();
      const env = {
        REDIS_URL: redis.url,
        HUB_REDIS_PREFIX: uniquePrefix(),
        HUB_CONNECT_RATE_PER_IP: "1",
        HUB_CONNECT_BURST_PER_IP: "4",
      };
      const [a, b] = [await startTestHub(env), await startTestHub(env)];
      const accepted = [a, a, b, b].map((hub, i) =>
        connectRaw(hub, { token: mintToken(), deviceId: `shared-${i}` }),
      );
      await waitFor(() => accepted.every((d) => d.ready.length === 1), { what: "4 devices" });
      const error = (await connectRaw(b, { token: mintToken(), deviceId: "shared-5" })
        .connectError) as ConnectError;
      expect(error.data?.code).toBe("rate_limited");
    },
  );
});

describe("failed push authentications", () => {
  it("are limited per address: after the burst 429 with Retry-After, even for the right token", async () => {
    const hub = await startTestHub({ HUB_PUSH_AUTH_FAILURES_PER_MINUTE: "5" });
    const wrong = { headers: { Authorization: "Bearer a-wrong-guess-0123456789" } };
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const response = await push(hub, asEnvelope(saleOrderCreate, 900 + i), wrong);
      statuses.push(response.status);
      if (response.status === 429)
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      await response.body?.cancel();
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const right = await push(hub, asEnvelope(saleOrderCreate, 990), {
      headers: { Authorization: `Bearer ${PUSH_TOKEN}` },
    });
    expect(right.status).toBe(429);
    expect(await right.json()).toMatchObject({ error: { code: "rate_limited" } });
  });

  it("leave an address that authenticates alone", async () => {
    const hub = await startTestHub({ HUB_PUSH_AUTH_FAILURES_PER_MINUTE: "2" });
    for (let i = 0; i < 10; i++) {
      const response = await push(hub, asEnvelope(saleOrderCreate, 1000 + i));
      expect(response.status).toBe(200);
      await response.body?.cancel();
    }
  });
});
