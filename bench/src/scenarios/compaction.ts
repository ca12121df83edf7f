/**
 * Compacted catch-up: a device missed 10,000 events on 500 records and comes back, once asking
 * for a full replay and once for a compacted one (`compact: true`), from the same cursor,
 * alternating. Time until `ready` and bytes of the replayed events, each against the other.
 */
import jwt from "jsonwebtoken";
import { io } from "socket.io-client";
import { JWT_SECRET } from "../processes.js";
import { pushAll, pushBody } from "../push-bodies.js";
import { row, type Row } from "../report.js";
import { median, nowMs } from "../stats.js";
import { alternate, startTarget, type Target, type TargetName } from "../targets.js";
import { scaled, type Context } from "./context.js";

const MODEL = "bench.compact";

interface Catchup {
  ms: number;
  bytes: number;
  events: number;
}

export async function compaction(context: Context): Promise<Row[]> {
  const missed = scaled(context, 10_000);
  const records = scaled(context, 500);
  const targets: Target[] = [];
  try {
    const cursors = new Map<TargetName, string>();
    for (const name of context.targets.filter((t) => t !== "bare")) {
      const target = await startTarget(name, { cpuProfDir: context.cpuProfDir });
      targets.push(target);
      cursors.set(name, (await catchUp(target.url, undefined, false, "first")).cursor);
      const make = (i: number) => pushBody({ model: MODEL }, false, 1 + (i % records));
      await pushAll(target.url, target.pushToken, missed, make, 32);
    }
    const results = await alternate(targets, context.runs, async (target, run) => {
      const cursor = cursors.get(target.name);
      const full = await catchUp(target.url, cursor, false, `full-${run}`);
      const compacted = await catchUp(target.url, cursor, true, `compact-${run}`);
      if (full.events !== missed || compacted.events > records)
        throw new Error(`${target.name}: ${full.events} full, ${compacted.events} compacted`);
      return { full, compacted };
    });
    const of = (f: (r: { full: Catchup; compacted: Catchup }) => number) =>
      new Map([...results].map(([name, list]) => [name, list.map(f)]));
    const ratio = (key: "ms" | "bytes") =>
      new Map(
        [...results].map(([name, list]) => [
          name,
          [median(list.map((r) => r.compacted[key])) / median(list.map((r) => r.full[key]))],
        ]),
      );
    const what = `${missed} missed events on ${records} records`;
    return [
      row(
        "compaction",
        `full replay of ${what}: ms to ready`,
        of((r) => r.full.ms),
        "lower",
      ),
      row(
        "compaction",
        "compacted: ms to ready",
        of((r) => r.compacted.ms),
        "lower",
      ),
      row(
        "compaction",
        "compacted: events replayed",
        of((r) => r.compacted.events),
        "lower",
        {
          target: `≤ ${records}`,
        },
      ),
      row("compaction", "ratio: compacted / full, time", ratio("ms"), "lower", { target: "≤ 0.1" }),
      row("compaction", "ratio: compacted / full, bytes", ratio("bytes"), "lower", {
        target: "≤ 0.1",
      }),
    ];
  } finally {
    for (const target of targets) await target.stop();
  }
}

/** Connects one device from `cursor`; resolves at its `ready` with what its replay cost. */
function catchUp(
  url: string,
  cursor: string | undefined,
  compact: boolean,
  deviceId: string,
): Promise<Catchup & { cursor: string }> {
  const token = jwt.sign({ uid: 1, models: "*" }, JWT_SECRET, { expiresIn: 3600 });
  const auth = { token, deviceId: `compaction-${deviceId}`, models: [MODEL], cursor, compact };
  const socket = io(url, { auth, transports: ["websocket"], reconnection: false, forceNew: true });
  const start = nowMs();
  let bytes = 0;
  let events = 0;
  socket.on("event", (event: unknown) => {
    events += 1;
    bytes += Buffer.byteLength(JSON.stringify(event));
  });
  return new Promise((resolve, reject) => {
    socket.once("connect_error", reject);
    socket.once("ready", (ready: { cursor: string }) => {
      const ms = nowMs() - start;
      socket.disconnect();
      resolve({ ms, bytes, events, cursor: ready.cursor });
    });
  });
}
