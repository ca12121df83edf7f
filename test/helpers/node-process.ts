/**
 * Node processes a test starts (CLIs, packaged consumers), with the node running the tests, so
 * every supported Node version runs them too. Each is killed after its test if still running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach } from "vitest";

export interface NodeProcess {
  child: ChildProcess;
  /** Everything printed so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) child.kill("SIGKILL");
});

export function startNode(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): NodeProcess {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
  });
  started.push(child);
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()));
  // "close", not "exit": by then every byte the process printed has been read.
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  return {
    child,
    exited,
    get stdout() {
      return output.stdout;
    },
    get stderr() {
      return output.stderr;
    },
  };
}

/** Runs to the end: the exit code and the output. */
export async function runNode(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const node = startNode(args, options);
  const code = await node.exited;
  return { code, stdout: node.stdout, stderr: node.stderr };
}
