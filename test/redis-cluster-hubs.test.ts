/** Two hub nodes on a Redis Cluster of three masters (REDIS_CLUSTER_NODES). */
import { describe, expect, it } from "vitest";
import { connectReady, mintToken, startTestHub, type RecordingSocket } from "./helpers/hub.js";
import { redisSkipReason } from "./helpers/redis.js";
import { startRedisCluster } from "./helpers/redis-cluster.js";
import { waitFor } from "./helpers/wait.js";
import { pushNamed } from "./helpers/changes.js";

const DEVICE = { token: mintToken({ uid: 2 }), deviceId: "tablet-1", models: ["sale.order"] };
const names = (client: RecordingSocket) => client.events.map((e) => e.record["name"]);

describe.skipIf(redisSkipReason() !== undefined)("several hubs on a Redis Cluster", () => {
  it("delivers events pushed to any node, and resumes a device on another node without a gap", async () => {
    const cluster = await startRedisCluster();
    const env = { REDIS_CLUSTER_NODES: cluster.nodeList, HUB_REDIS_PREFIX: "cluster-test:" };
    const [a, b] = [await startTestHub(env), await startTestHub(env)];
    const onA = await connectReady(a, DEVICE);
    expect(await pushNamed(b, ["S1", "S2"])).toEqual([200, 200]);
    await waitFor(() => onA.events.length === 2, { what: "events pushed to the other node" });
    const cursor = onA.events[1]?.cursor;
    onA.socket.disconnect();
    await pushNamed(a, ["S3", "S4", "S5"]);
    const onB = await connectReady(b, { ...DEVICE, cursor });
    expect(names(onB)).toEqual(["S3", "S4", "S5"]);
    expect(onB.ready[0]).toMatchObject({ source: "hub", recovered: true, replayed: 3 });
    await pushNamed(a, ["S6"]);
    await waitFor(() => onB.events.length === 4, { what: "a live event from the other node" });
    expect(names(onB)).toEqual(["S3", "S4", "S5", "S6"]);
  });
});
