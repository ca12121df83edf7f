/**
 * Fan-out throughput: 2,000 connected devices, each in its own user room; events routed to 1,
 * to 10 and to all devices. Delivered events per second, pushes sent 32 at a time.
 */
import { deviceSpecs } from "../devices.js";
import { until } from "../processes.js";
import { pushAll, pushBody, type Audience } from "../push-bodies.js";
import { row, type Row } from "../report.js";
import { nowMs } from "../stats.js";
import { withServed, type Served } from "../served.js";
import { alternate } from "../targets.js";
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
  const specs = (name: string) => deviceSpecs(`fanout-${name}`, devices, FIRST_UID, ["bench.all"]);
  return withServed(context, specs, true, async (served) => {
    const rows: Row[] = [];
    for (const shape of shapes) {
      const results = await alternate(served, context.runs, (s) => burst(s, shape));
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
  });
}

async function burst({ target, fleet }: Served, shape: Shape): Promise<number> {
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
