import type { TargetName } from "../targets.js";

export interface Context {
  /** Measurements per target (alternating), at least 5 for a recorded run. */
  runs: number;
  /** 1 for the figures the issue asks for; smaller for a quick check of the harness. */
  scale: number;
  targets: TargetName[];
  /** Folder for a CPU profile of the hub, when profiling this scenario. */
  cpuProfDir: string | undefined;
  /** HUB_ACK_LINGER_MS of the Redis target's hub where devices connect; undefined: the hub's. */
  ackLingerMs: number | undefined;
}

export function scaled(context: Context, n: number): number {
  return Math.max(1, Math.round(n * context.scale));
}
