/** The servers each scenario compares: the bare Socket.IO baseline, and the hub embedded or on Redis. */
import {
  PUSH_TOKEN,
  Worker,
  nodeFlags,
  startHub,
  startRedis,
  type HubOptions,
  type Proc,
} from "./processes.js";

export type TargetName = "bare" | "embedded" | "redis";

export interface Target extends Proc {
  name: TargetName;
  pushToken: string;
  /** The redis-server of the "redis" target. */
  redis?: Proc;
}

export async function startTarget(name: TargetName, options: HubOptions = {}): Promise<Target> {
  if (name === "bare") {
    const worker = new Worker("bare-server.js", nodeFlags(options));
    const port = await worker.request<number>({ cmd: "port" });
    return {
      name,
      url: `http://127.0.0.1:${port}`,
      pid: worker.pid,
      pushToken: PUSH_TOKEN,
      stop: () => worker.stop(),
    };
  }
  if (name === "embedded") return { name, pushToken: PUSH_TOKEN, ...(await startHub(options)) };
  const redis = (await startRedisIfNeeded(name))!;
  const hub = await startHub({ ...options, redisUrl: redis.url });
  return {
    name,
    url: hub.url,
    pid: hub.pid,
    pushToken: PUSH_TOKEN,
    redis,
    async stop() {
      await hub.stop();
      await redis.stop();
    },
  };
}

/** A redis-server of its own for the "redis" target. */
export async function startRedisIfNeeded(name: TargetName): Promise<Proc | undefined> {
  return name === "redis" ? startRedis() : undefined;
}

/**
 * Runs `measure` `runs` times per target, alternating targets within each round so that slow
 * drifts of the machine hit all of them alike; returns each target's values.
 */
export async function alternate<T, S extends { name: string }>(
  targets: readonly S[],
  runs: number,
  measure: (target: S, run: number) => Promise<T>,
): Promise<Map<S["name"], T[]>> {
  const results = new Map<S["name"], T[]>(targets.map((t) => [t.name, []]));
  for (let run = 0; run < runs; run++) {
    for (const target of targets) results.get(target.name)!.push(await measure(target, run));
  }
  return results;
}
