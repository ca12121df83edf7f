import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { redisSkipReason, startRedis } from "./helpers/redis.js";

describe.skipIf(redisSkipReason() !== undefined)("test redis-server", () => {
  it("keeps data across a crash-restart when asked, and loses it otherwise", async () => {
    const server = await startRedis();
    const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    await client.set("k", "v");
    client.disconnect();
    await server.restart({ keepData: true });
    const again = new Redis(server.url);
    expect(await again.get("k")).toBe("v");
    again.disconnect();
    await server.restart({ keepData: false });
    const fresh = new Redis(server.url);
    expect(await fresh.get("k")).toBeNull();
    fresh.disconnect();
  });
});
