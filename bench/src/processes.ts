/**
 * The processes a benchmark runs: the hub (`server/dist/main.js`), the bare Socket.IO baseline,
 * redis-server, the simulator and the load generators, each a process of its own.
 */
import { fork, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const JWT_SECRET = "bench-secret-0123456789-0123456789-abcdef";
export const PUSH_TOKEN = "bench-push-token-0123456789";
export const SIM_API_KEY = "bench-sim-api-key";

export interface Proc {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Polls `check` every `intervalMs` until it holds; throws after `timeoutMs`, naming `what`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** A tenants file without rate limits in the way: the benchmark measures, it does not flood. */
export function tenantsFile(odoo: object | undefined, ids: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "odoo-live-bench-"));
  const file = join(dir, "tenants.json");
  const push = { token: PUSH_TOKEN, ratePerSecond: 1_000_000, burst: 1_000_000 };
  const tenant = odoo === undefined ? { push } : { push, odoo };
  writeFileSync(
    file,
    JSON.stringify({ tenants: Object.fromEntries(ids.map((id) => [id, tenant])) }),
  );
  return file;
}

export interface HubOptions {
  redisUrl?: string;
  /** Key prefix on Redis; hubs that share one (and the Redis) are nodes of one deployment. */
  redisPrefix?: string;
  odoo?: object;
  /** Write a V8 CPU profile into this folder when the hub exits. */
  cpuProfDir?: string;
  /** Open the V8 inspector on this loopback port (see gc.ts). */
  inspectPort?: number;
  /** Listen on this port (a restarted hub keeps its address); default a free one. */
  port?: number;
  /** HUB_ACK_LINGER_MS (with Redis); undefined: the hub's default. */
  ackLingerMs?: number | undefined;
  /** The tenants it serves, alike (default: `default` alone). */
  tenants?: readonly string[];
}

/** A hub process that can also be SIGKILLed, as a crash. */
export interface HubProc extends Proc {
  port: number;
  kill(): Promise<void>;
}

/** Node flags for a server process under test. */
export function nodeFlags(options: Pick<HubOptions, "cpuProfDir" | "inspectPort">): string[] {
  const flags: string[] = [];
  if (options.cpuProfDir !== undefined)
    flags.push("--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`);
  if (options.inspectPort !== undefined) flags.push(`--inspect=127.0.0.1:${options.inspectPort}`);
  return flags;
}

/** The compiled hub, on a free port, with the benchmark's secrets; resolves once `/readyz` is 200. */
export async function startHub(options: HubOptions = {}): Promise<HubProc> {
  const port = options.port ?? (await freePort());
  const env: Record<string, string> = {
    PATH: process.env["PATH"] ?? "",
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    JWT_SECRET,
    HUB_TENANTS_FILE: tenantsFile(options.odoo, options.tenants ?? ["default"]),
    HUB_CONNECT_RATE_PER_IP: "1000000",
    HUB_CONNECT_BURST_PER_IP: "1000000",
    HUB_SHUTDOWN_TIMEOUT_MS: "2000",
  };
  if (options.redisUrl !== undefined) {
    env["REDIS_URL"] = options.redisUrl;
    env["HUB_REDIS_PREFIX"] = options.redisPrefix ?? `bench${port}:`;
    if (options.ackLingerMs !== undefined) env["HUB_ACK_LINGER_MS"] = String(options.ackLingerMs);
  }
  const child = spawn(
    process.execPath,
    [...nodeFlags(options), join(ROOT, "server", "dist", "main.js")],
    {
      env,
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await until(() => answers(`${url}/readyz`), "the hub to be ready", 20_000);
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGKILL");
    await exited;
  };
  return { url, port, pid: child.pid!, stop: stopper(child), kill };
}

/**
 * A child process running one of this package's entry points, spoken to over IPC:
 * `request(message)` resolves with the child's reply to that message.
 */
export class Worker {
  readonly #child: ChildProcess;
  #next = 0;
  readonly #pending = new Map<number, (reply: unknown) => void>();

  constructor(entry: string, execArgv: string[] = []) {
    this.#child = fork(join(ROOT, "bench", "dist", entry), [], {
      execArgv,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.#child.on("message", (message: { id: number; reply: unknown }) => {
      this.#pending.get(message.id)?.(message.reply);
      this.#pending.delete(message.id);
    });
  }

  get pid(): number {
    return this.#child.pid!;
  }

  request<T>(message: object): Promise<T> {
    const id = ++this.#next;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, (reply) => {
        const failure = (reply as { error?: string } | undefined)?.error;
        if (failure !== undefined) reject(new Error(failure));
        else resolve(reply as T);
      });
      this.#child.send({ ...message, id });
    });
  }

  stop(): Promise<void> {
    return stopper(this.#child)();
  }
}

/** Answers a parent's requests over IPC with `handle`; errors go back as `{ error }`. */
export function serveParent(
  handle: (message: { cmd: string } & Record<string, unknown>) => Promise<unknown>,
): void {
  process.on("message", (message: { id: number; cmd: string } & Record<string, unknown>) => {
    handle(message).then(
      (reply) => process.send?.({ id: message.id, reply }),
      (error: unknown) => process.send?.({ id: message.id, reply: { error: String(error) } }),
    );
  });
  process.on("disconnect", () => process.exit(0));
}

export async function startRedis(): Promise<Proc> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "odoo-live-bench-redis-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""];
  const child = spawn("redis-server", [...args, "--appendonly", "no"], { stdio: "ignore" });
  const ping = () =>
    spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" }).stdout.trim() ===
    "PONG";
  await until(ping, `redis-server on port ${port}`, 10_000);
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid!, stop: stopper(child) };
}

export const redisAvailable = spawnSync("redis-server", ["--version"]).status === 0;

/** Resident set size of a process, in bytes (Linux). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}
