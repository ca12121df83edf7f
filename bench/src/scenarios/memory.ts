/**
 * Memory: RSS per idle authenticated device at 5,000 connections, (RSS_N − RSS_0) / N, each run
 * on a fresh server process, both RSS taken after a full garbage collection.
 */
import { Fleet, deviceSpecs } from "../devices.js";
import { collectGarbage } from "../gc.js";
import { freePort, rssOf, until } from "../processes.js";
import { row, type Row } from "../report.js";
import { alternate, startTarget, type TargetName } from "../targets.js";
import { scaled, type Context } from "./context.js";

export async function memory(context: Context): Promise<Row[]> {
  const devices = scaled(context, 5000);
  const targets = context.targets.map((name) => ({ name }));
  const results = await alternate(targets, context.runs, (t) => perDevice(t.name, devices));
  return [
    row(
      "memory",
      `bytes of server RSS per idle device, after a full GC (${devices} devices)`,
      results,
      "lower",
      {
        target: "≤ 1.2 × bare",
      },
    ),
  ];
}

/** After a full GC, the RSS once it stopped moving (two samples 250 ms apart within 0.5 %). */
async function settledRss(pid: number, inspectPort: number): Promise<number> {
  await collectGarbage(inspectPort);
  let last = rssOf(pid);
  let settled = 0;
  await until(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const now = rssOf(pid);
      const stable = Math.abs(now - last) / last < 0.005;
      last = now;
      settled = now;
      return stable;
    },
    "a settled RSS",
    30_000,
  );
  return settled;
}

/** RSS per idle device on a fresh server of `name` with `devices` connected. */
export async function perDevice(name: TargetName, devices: number): Promise<number> {
  const inspectPort = await freePort();
  const target = await startTarget(name, { inspectPort });
  const fleet = new Fleet(2);
  try {
    const before = await settledRss(target.pid, inspectPort);
    await fleet.connect(
      target.url,
      deviceSpecs(`memory-${target.name}`, devices, 20_000, ["bench.idle"]),
    );
    const after = await settledRss(target.pid, inspectPort);
    return (after - before) / devices;
  } finally {
    await fleet.close();
    await target.stop();
  }
}
