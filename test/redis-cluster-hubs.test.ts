/** Two hub nodes on a Redis Cluster of three masters (REDIS_CLUSTER_NODES). */
import { describe, it } from "vitest";
import { expectCrossNodeResume, expectSessionReplaced } from "./helpers/cross-node.js";
import { startTestHub } from "./helpers/hub.js";
import { redisSkipReason } from "./helpers/redis.js";
import { startRedisCluster } from "./helpers/redis-cluster.js";

describe.skipIf(redisSkipReason() !== undefined)("several hubs on a Redis Cluster", () => {
  it("delivers events pushed to any node, and resumes a device on another node without a gap", async () => {
    const cluster = await startRedisCluster();
    const env = { REDIS_CLUSTER_NODES: cluster.nodeList, HUB_REDIS_PREFIX: "cluster-test:" };
    const [a, b] = [await startTestHub(env), await startTestHub(env)];
    await expectCrossNodeResume(a, b);
    await expectSessionReplaced(b, a);
  });
});
