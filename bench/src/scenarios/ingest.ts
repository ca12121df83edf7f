/**
 * Ingest. Pull: the simulator holds a 100,000-row backlog; rows per second pulled, normalized and
 * logged by a fresh hub (embedded, then on Redis), against a reader that only fetches and parses
 * the same pages. Push: requests per second accepted from 50 concurrent pushers.
 */
import { PUSH_TOKEN, SIM_API_KEY, Worker, startHub, until } from "../processes.js";
import { pulled } from "../hub-metrics.js";
import { pushAll, pushBody } from "../push-bodies.js";
import { format, row, type Row } from "../report.js";
import { median, nowMs } from "../stats.js";
import {
  alternate,
  startRedisIfNeeded,
  startTarget,
  type Target,
  type TargetName,
} from "../targets.js";
import { scaled, type Context } from "./context.js";

const PAGE_SIZE = 500;

/**
 * The hub's default dedupe window holds 250,000 keys (HUB_DEDUPE_MAX_KEYS), two per pushed change:
 * past this many changes it drops its oldest key for each one it adds, as a busy tenant's does
 * all day.
 */
const CHANGES_TO_FILL_DEDUPE = 135_000;

export async function ingest(context: Context): Promise<Row[]> {
  return [await pull(context), ...(await push(context))];
}

async function pull(context: Context): Promise<Row> {
  const rows = scaled(context, 100_000);
  const sim = new Worker("sim-process.js");
  const reader = new Worker("pull-reader.js");
  try {
    const { url } = await sim.request<{ url: string }>({ cmd: "change", rows });
    const names = context.targets.map((name) => ({ name }));
    const results = await alternate(names, context.runs, async ({ name }) => {
      if (name === "bare") {
        const read = await reader.request<{ rows: number; ms: number }>({
          url,
          apiKey: SIM_API_KEY,
          pageSize: PAGE_SIZE,
        });
        return read.rows / (read.ms / 1000);
      }
      return pullRate(name, url, rows, context);
    });
    return row(
      "ingest",
      `pull: rows/s from a ${rows}-row backlog (bare = fetch + parse only)`,
      results,
      "higher",
    );
  } finally {
    await reader.stop();
    await sim.stop();
  }
}

async function pullRate(
  name: TargetName,
  odooUrl: string,
  rows: number,
  context: Context,
): Promise<number> {
  const odoo = {
    url: odooUrl,
    db: "bench",
    apiKey: SIM_API_KEY,
    pull: { start: "earliest", pageSize: PAGE_SIZE },
    syncState: { mirror: false },
  };
  const redis = await startRedisIfNeeded(name);
  const hub = await startHub({ odoo, redisUrl: redis?.url, cpuProfDir: context.cpuProfDir });
  try {
    const startedAt = nowMs();
    const before = await pulled(hub.url);
    // Scraping /metrics costs the hub CPU: look only every half second.
    await until(async () => (await pulled(hub.url)) >= rows, `${rows} rows pulled`, 600_000, 500);
    return (rows - before) / ((nowMs() - startedAt) / 1000);
  } finally {
    await hub.stop();
    await redis?.stop();
  }
}

/** A server the push scenario measures: a target, or the ceiling (ceiling-server.ts). */
type Pushed = Pick<Target, "url" | "stop"> & { name: TargetName | "ceiling" };

/**
 * Pushes/s from fresh servers, then from the same servers once the dedupe window is full. The
 * ceiling runs in the same rounds; its rate goes in the rows' notes.
 */
async function push(context: Context): Promise<Row[]> {
  const count = scaled(context, 5000);
  const servers: Pushed[] = [];
  try {
    for (const name of context.targets) {
      servers.push(await startTarget(name, { cpuProfDir: context.cpuProfDir }));
      if (name === "bare") servers.push(await startCeiling());
    }
    const rate = (server: Pushed) => pushRate(server, count);
    const fresh = await alternate(servers, context.runs, rate);
    // --quick pushes a tenth: the window is then not full, and the row says so.
    const changes = scaled(context, CHANGES_TO_FILL_DEDUPE);
    const filled = Math.max(0, changes - context.runs * count);
    for (const server of servers)
      await pushAll(server.url, PUSH_TOKEN, filled, () => pushBody({ uids: [1] }), 50);
    const full = await alternate(servers, context.runs, rate);
    const window = changes >= CHANGES_TO_FILL_DEDUPE ? "dedupe window full" : "window not full";
    const after = `after ${Math.max(changes, context.runs * count)} changes (${window})`;
    return [
      pushRow(`push: requests/s accepted, 50 concurrent pushers`, fresh),
      pushRow(`push: requests/s accepted, 50 concurrent, ${after}`, full),
    ];
  } finally {
    for (const server of servers) await server.stop();
  }
}

async function startCeiling(): Promise<Pushed> {
  const worker = new Worker("ceiling-server.js");
  const port = await worker.request<number>({ cmd: "port" });
  return { name: "ceiling", url: `http://127.0.0.1:${port}`, stop: () => worker.stop() };
}

/** The targets' row, with the ceiling's median and each target's ratio to it in the note. */
function pushRow(metric: string, results: Map<Pushed["name"], number[]>): Row {
  const targets = new Map(
    [...results].flatMap(([name, list]) => (name === "ceiling" ? [] : [[name, list] as const])),
  );
  const base = row("ingest", metric, targets, "higher");
  const ceiling = results.get("ceiling") ?? [];
  if (ceiling.length === 0) return base;
  const top = median(ceiling);
  const ratios = [...targets].map(([name, list]) => `${name} ${(median(list) / top).toFixed(2)}`);
  const note =
    `ceiling (bare + the guarantees' steps, ceiling-server.ts) ${format(top)}/s, ` +
    `runs ${format(Math.min(...ceiling))}–${format(Math.max(...ceiling))}; ` +
    `to the ceiling: ${ratios.join(", ")}; ${base.note ?? ""}`;
  return { ...base, note };
}

async function pushRate(target: Pick<Target, "url">, count: number): Promise<number> {
  const start = nowMs();
  await pushAll(target.url, PUSH_TOKEN, count, () => pushBody({ uids: [1] }), 50);
  return count / ((nowMs() - start) / 1000);
}
