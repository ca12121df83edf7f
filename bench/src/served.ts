/** Each target under test with a fleet of devices connected to it, for the length of a scenario. */
import { Fleet } from "./devices.js";
import type { DeviceSpec } from "./device-process.js";
import type { Context } from "./scenarios/context.js";
import { startTarget, type Target, type TargetName } from "./targets.js";

export interface Served {
  name: TargetName;
  target: Target;
  fleet: Fleet;
}

/**
 * Starts every target of the context and connects its devices (acking every second, as the
 * client library does, when `ack` and the target is a hub), runs `body`, then stops them all.
 */
export async function withServed<T>(
  context: Context,
  specsFor: (name: TargetName) => DeviceSpec[],
  ack: boolean,
  body: (served: Served[]) => Promise<T>,
): Promise<T> {
  const served: Served[] = [];
  try {
    for (const name of context.targets) {
      const { cpuProfDir, ackLingerMs } = context;
      const target = await startTarget(name, { cpuProfDir, ackLingerMs });
      const fleet = new Fleet(2);
      served.push({ name, target, fleet });
      await fleet.connect(target.url, specsFor(name), ack && name !== "bare" ? 1000 : undefined);
    }
    return await body(served);
  } finally {
    for (const { target, fleet } of served) {
      await fleet.close();
      await target.stop();
    }
  }
}
