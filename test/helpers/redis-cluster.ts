/**
 * A local Redis Cluster of three masters (no replicas) for tests, on free loopback ports, in a
 * temporary directory; stopped after the tests of the file that started it. Skipped like
 * `redis.ts` when there is no `redis-server` (see `redisSkipReason`).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { waitFor } from "./wait.js";
import { freePort } from "./ports.js";

export interface TestRedisCluster {
  nodes: { host: string; port: number }[];
  /** `host:port,host:port,…`, as REDIS_CLUSTER_NODES takes it. */
  nodeList: string;
  stop(): Promise<void>;
}

const clusters: TestRedisCluster[] = [];
afterAll(async () => {
  for (const cluster of clusters.splice(0)) await cluster.stop();
});

function cli(port: number, ...args: string[]): string {
  return spawnSync("redis-cli", ["-p", String(port), ...args], { encoding: "utf8" }).stdout.trim();
}

export async function startRedisCluster(): Promise<TestRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), "odoo-live-redis-cluster-"));
  const ports: number[] = [];
  for (let i = 0; i < 3; i++) {
    let port = await freePort();
    while (ports.includes(port)) port = await freePort();
    ports.push(port);
  }
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.splice(0).map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGKILL");
        return exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  const cluster: TestRedisCluster = {
    nodes: ports.map((port) => ({ host: "127.0.0.1", port })),
    nodeList: ports.map((port) => `127.0.0.1:${port}`).join(","),
    stop,
  };
  clusters.push(cluster);
  for (const port of ports) {
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir];
    args.push("--cluster-enabled", "yes", "--cluster-config-file", `nodes-${port}.conf`);
    args.push("--save", "", "--appendonly", "no");
    children.push(spawn("redis-server", args, { stdio: "ignore" }));
  }
  for (const port of ports)
    await waitFor(() => cli(port, "ping") === "PONG", {
      timeoutMs: 5000,
      what: `redis-server on port ${port}`,
    });
  const create = spawnSync(
    "redis-cli",
    ["--cluster", "create", ...ports.map((port) => `127.0.0.1:${port}`)].concat([
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ]),
    { encoding: "utf8" },
  );
  if (create.status !== 0) {
    await stop();
    throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
  }
  // Every node must know the whole slot map before a client asks any of them.
  for (const port of ports)
    await waitFor(() => cli(port, "cluster", "info").includes("cluster_state:ok"), {
      timeoutMs: 10_000,
      what: `cluster_state:ok on port ${port}`,
    });
  return cluster;
}
