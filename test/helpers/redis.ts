/**
 * Real `redis-server` processes for tests, one per caller, on free loopback ports, in a temporary
 * directory (so a test can restart one with its data, or without). Without the binary the tests
 * that need it are skipped loudly, unless REQUIRE_REDIS=1 (CI), where they fail.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { waitFor } from "./wait.js";
import { freePort } from "./ports.js";

export const redisAvailable = spawnSync("redis-server", ["--version"]).status === 0;

/** Why Redis tests are skipped here, or undefined when they run. Throws under REQUIRE_REDIS=1. */
export function redisSkipReason(): string | undefined {
  if (redisAvailable) return undefined;
  const reason = "redis-server is not installed on this machine: Redis tests are SKIPPED";
  if (process.env["REQUIRE_REDIS"] === "1")
    throw new Error(`${reason} (REQUIRE_REDIS=1 forbids it)`);
  process.stderr.write(`\n*** ${reason} ***\n\n`);
  return reason;
}

export interface TestRedis {
  url: string;
  port: number;
  /**
   * Stops the server (SIGKILL, as a crash) and starts it again on the same port, after `downMs`
   * (an outage of that length; default at once).
   */
  restart(options?: { keepData: boolean; downMs?: number }): Promise<void>;
  /** Kills the server (SIGKILL, as a crash), keeping its data, until `start`. */
  crash(): Promise<void>;
  /** Starts a crashed server again on the same port, with its data. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const servers: TestRedis[] = [];
afterAll(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

function ping(port: number): boolean {
  return (
    spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" }).stdout.trim() ===
    "PONG"
  );
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "odoo-live-redis-"));
  let child: ChildProcess | undefined;
  const launch = async (appendonly: boolean) => {
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""];
    args.push("--appendonly", appendonly ? "yes" : "no", "--appendfsync", "always");
    child = spawn("redis-server", args, { stdio: "ignore" });
    await waitFor(() => ping(port), { timeoutMs: 5000, what: `redis-server on port ${port}` });
  };
  const kill = async () => {
    const running = child;
    // A process killed by a signal has a signalCode and no exitCode.
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
  };
  await launch(true);
  const redis: TestRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart({ keepData, downMs = 0 } = { keepData: true }) {
      await kill();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      if (!keepData) rmSync(join(dir, "appendonlydir"), { recursive: true, force: true });
      await launch(true);
    },
    crash: kill,
    start: () => launch(true),
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  servers.push(redis);
  return redis;
}

/** A key prefix no other test uses, so tests can share one redis-server. */
export function uniquePrefix(): string {
  return `test-${randomUUID()}:`;
}

/**
 * One redis-server for the enclosing describe block, and the clients a test opens on it (or on
 * another server), disconnected after the block.
 */
export function useRedis() {
  let server: TestRedis | undefined;
  const clients: Redis[] = [];
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });
  const connect = (url?: string): Redis => {
    const target = url ?? server?.url;
    if (target === undefined) throw new Error("useRedis: the server starts in beforeAll");
    const client = new Redis(target);
    clients.push(client);
    return client;
  };
  return { connect };
}
