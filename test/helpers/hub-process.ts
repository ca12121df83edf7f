/**
 * Real hub processes (`node server/dist/main.js`, the compiled hub) for tests that kill them:
 * each on a free loopback port of its own, kept across restarts. Every process a test file
 * started is killed after it (SIGKILL), whatever happened.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { JWT_SECRET, PUSH_TOKEN } from "./hub.js";
import { waitFor } from "./wait.js";
import { freePort } from "./ports.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const MAIN = join(ROOT, "server", "dist", "main.js");

/**
 * Compiles the packages the processes run (incremental: fast when up to date). tsc runs on the
 * node running the tests, not through npx, which refuses to run inside `npx -p node@22 -c …`
 * (how the suite is run on other Node versions).
 */
export function buildHub(): void {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(
    process.execPath,
    [tsc, "-b", "protocol", "server", "client-lib", "odoo-sim"],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  if (result.status !== 0) {
    throw new Error(`tsc -b failed (${result.status}):\n${result.stdout}${result.stderr}`);
  }
}

export interface HubProcess {
  /** `http://127.0.0.1:<port>`, the same across restarts. */
  url: string;
  port: number;
  /** Whether the process is running (started and not exited). */
  readonly alive: boolean;
  /** The last `keepLines` lines it wrote to stdout and stderr (LOG_LEVEL=warn by default). */
  output(): string;
  /** SIGKILL, as a crash; resolves once it exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port and waits for `/readyz`. */
  restart(): Promise<void>;
  /** SIGTERM (a graceful shutdown); resolves once it exited. */
  stop(): Promise<void>;
}

const processes: HubProcess[] = [];
afterAll(async () => {
  for (const hub of processes.splice(0)) await hub.kill();
});

async function ready(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Starts a hub process with the test secrets; `env` adds or overrides settings (REDIS_URL,
 * ODOO_*…). Nothing is inherited from this process's environment but PATH and HOME.
 * `readyTimeoutMs` is generous: a hub restarted into a reconnect storm on a busy machine answers
 * `/readyz` late, and nothing waits for it once it is ready.
 */
export async function startHubProcess(
  env: Record<string, string> = {},
  { readyTimeoutMs = 45_000, keepLines = 200 } = {},
): Promise<HubProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const fullEnv: Record<string, string> = {
    PATH: process.env["PATH"] ?? "",
    HOME: process.env["HOME"] ?? "",
    NODE_ENV: "test",
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    JWT_SECRET,
    PUSH_TOKEN,
    HUB_SHUTDOWN_TIMEOUT_MS: "2000",
    HUB_CONNECT_RATE_PER_IP: "100000",
    HUB_CONNECT_BURST_PER_IP: "100000",
    ...env,
  };
  let child: ChildProcess | undefined;
  let lines: string[] = [];
  /** Whole lines only: a chunk may end in the middle of one (each stream has its own rest). */
  const keeper = () => {
    let rest = "";
    return (chunk: string) => {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      lines.push(...parts.filter(Boolean));
      if (lines.length > keepLines) lines = lines.slice(-keepLines);
    };
  };
  const launch = async () => {
    const started = spawn(process.execPath, [MAIN], {
      cwd: ROOT,
      env: fullEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = started;
    started.stdout?.setEncoding("utf8").on("data", keeper());
    started.stderr?.setEncoding("utf8").on("data", keeper());
    await waitFor(
      async () => {
        if (exited(started))
          throw new Error(`hub on port ${port} exited at start:\n${lines.join("\n")}`);
        return ready(url);
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 50, what: `hub process on port ${port} ready` },
    );
  };
  const signal = async (name: NodeJS.Signals) => {
    const running = child;
    if (running === undefined || exited(running)) return;
    const done = new Promise((resolve) => running.once("exit", resolve));
    running.kill(name);
    await done;
  };
  const hub: HubProcess = {
    url,
    port,
    get alive() {
      return child !== undefined && !exited(child);
    },
    output: () => lines.join("\n"),
    kill: () => signal("SIGKILL"),
    async restart() {
      await signal("SIGKILL");
      await launch();
    },
    stop: () => signal("SIGTERM"),
  };
  processes.push(hub);
  await launch();
  return hub;
}
