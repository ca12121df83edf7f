/**
 * Fan-out throughput: 2,000 connected devices, each in its own user room; events routed to 1,
 * to 10 and to all devices. Delivered events per second, pushes sent 32 at a time.
 */
import { Fleet, deviceSpecs } from "../devices.js";
import { until } from "../processes.js";
import { pushAll, pushBody, type Audience } from "../push-bodies.js";
import { row, type Row } from "../report.js";
import { nowMs } from "../stats.js";
import { alternate, startTarget, type Target } from "../targets.js";
import { scaled, type Context } from "./context.js";

const FIRST_UID = 1000;

interface Shape {
  name: string;
  fanout: number;
  events: number;
  audience: (i: number) => Audience;
}

export async function fanout(context: Context): Promise<Row[]> {
  const devices = scaled(context, 2000);
  const shapes: Shape[] = [
    {
      name: "1 device",
      fanout: 1,
      events: scaled(context, 3000),
      audience: (i) => ({ uids: [FIRST_UID + (i % devices)] }),
    },
    {
      name: "10 devices",
      fanout: 10,
      events: scaled(context, 1000),
      audience: (i) => ({
        uids: Array.from({ length: 10 }, (_, k) => FIRST_UID + ((i * 10 + k) % devices)),
      }),
    },
    { name: "all devices", fanout: devices, events: 50, audience: () => ({ model: "bench.all" }) },
  ];
  const targets: Target[] = [];
  const fleets = new Map<Target, Fleet>();
  try {
    for (const name of context.targets) {
      const target = await startTarget(name, { cpuProfDir: context.cpuProfDir });
      targets.push(target);
      const fleet = new Fleet(2);
      fleets.set(target, fleet);
      const specs = deviceSpecs(`fanout-${name}`, devices, FIRST_UID, ["bench.all"]);
      await fleet.connect(target.url, specs, name === "bare" ? undefined : 1000);
    }
    const rows: Row[] = [];
    for (const shape of shapes) {
      const results = await alternate(targets, context.runs, (target) =>
        burst(target, fleets.get(target)!, shape),
      );
      rows.push(
        row(
          "fan-out",
          `${shape.name}: delivered events/s (${devices} devices)`,
          results,
          "higher",
          {
            target: "≥ 0.9 × bare",
          },
        ),
      );
    }
    return rows;
  } finally {
    for (const [target, fleet] of fleets) {
      await fleet.close();
      await target.stop();
    }
  }
}

async function burst(target: Target, fleet: Fleet, shape: Shape): Promise<number> {
  await fleet.reset();
  const expected = shape.events * shape.fanout;
  const start = nowMs();
  await pushAll(target.url, target.pushToken, shape.events, (i) => pushBody(shape.audience(i)), 32);
  await until(
    async () => (await fleet.stats()).received >= expected,
    `${expected} deliveries on ${target.name}`,
  );
  const stats = await fleet.stats();
  if (stats.received !== expected || stats.outOfOrder > 0) {
    throw new Error(
      `${target.name}: ${stats.received}/${expected} delivered, ${stats.outOfOrder} out of order`,
    );
  }
  return expected / ((stats.lastAt - start) / 1000);
}
