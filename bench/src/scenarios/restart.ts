/**
 * Restart: 2,000 devices on an embedded hub that pulls a simulated Odoo. While they are away,
 * 1,000 ledger rows are written (one in five a sale order, which every device follows), and
 * they come back at once. Baseline: the hub was running all along and holds the rows (a plain
 * resume). Restart: the hub was SIGKILLed and restarted meanwhile, with an empty log, and has to
 * fill the missed range in from Odoo's ledger. Time until every device is caught up, and the
 * Odoo requests the restart cost against the ledger pages of the missed range.
 */
import { Fleet, deviceSpecs } from "../devices.js";
import { pulled } from "../hub-metrics.js";
import { SIM_API_KEY, Worker, startHub, until, type HubProc } from "../processes.js";
import { row, type Row } from "../report.js";
import { median, nowMs } from "../stats.js";
import type { TargetName } from "../targets.js";
import { scaled, type Context } from "./context.js";

const MISSED_ROWS = 1000;
/** One ledger row in this many is a sale order (what the devices follow). */
const EVERY = 5;
const PAGE_SIZE = 500;

export async function restart(context: Context): Promise<Row[]> {
  const devices = scaled(context, 2000);
  const rows = scaled(context, MISSED_ROWS);
  const sim = new Worker("sim-process.js");
  const fleet = new Fleet(2);
  let hub: HubProc | undefined;
  try {
    const { url } = await sim.request<{ url: string }>({ cmd: "change", rows: 1 });
    const odoo = {
      url,
      apiKey: SIM_API_KEY,
      pull: { start: "latest", intervalMs: 1000, pageSize: PAGE_SIZE },
      syncState: { mirror: false },
    };
    const start = (port?: number) => startHub({ odoo, port, cpuProfDir: context.cpuProfDir });
    hub = await start();
    await fleet.connect(hub.url, deviceSpecs("restart", devices, 20_000, ["sale.order"]), 1000);
    const plain: number[] = [];
    const restarted: number[] = [];
    const requests: number[] = [];
    const beyondPasses: number[] = [];
    const expected = Math.floor(rows / EVERY);
    for (let run = 0; run < context.runs; run++) {
      // Baseline: the hub pulls the rows while the devices are away.
      await fleet.disconnect();
      const before = await pulled(hub.url);
      await sim.request({ cmd: "change", rows, every: EVERY });
      await until(
        async () => (await pulled(hub!.url)) >= before + rows,
        "the rows pulled",
        60_000,
        200,
      );
      plain.push(await comeBack(fleet, expected));
      // Restart: the hub dies, the rows are written, a new hub starts with an empty log.
      await fleet.disconnect();
      await hub.kill();
      await sim.request({ cmd: "change", rows, every: EVERY });
      const pullsBefore = await pulls(sim);
      const since = nowMs();
      hub = await start(hub.port);
      restarted.push(await comeBack(fleet, expected));
      const made = (await pulls(sim)) - pullsBefore;
      requests.push(made);
      // The leader reads the ledger once a second whatever happens: those reads are not the
      // restart's cost. What is left is the newest-row probe and the missed pages, read once.
      beyondPasses.push(made - Math.floor((nowMs() - since) / odoo.pull.intervalMs));
    }
    const pages = Math.ceil(rows / PAGE_SIZE);
    const embedded = (list: number[]) => new Map<TargetName, number[]>([["embedded", list]]);
    return [
      row(
        "restart",
        `ms until ${devices} devices caught up, hub running (baseline)`,
        embedded(plain),
        "lower",
      ),
      row(
        "restart",
        `ms until ${devices} devices caught up, hub restarted`,
        embedded(restarted),
        "lower",
      ),
      row(
        "restart",
        "ratio: restarted / running",
        embedded([median(restarted) / median(plain)]),
        "lower",
      ),
      row(
        "restart",
        `Odoo pull requests for the restart (${pages} pages missed, ${devices} devices)`,
        embedded(requests),
        "lower",
      ),
      row(
        "restart",
        "same, beyond the poller's once-a-second passes meanwhile",
        embedded(beyondPasses),
        "lower",
        { target: `≤ pages + 10 = ${pages + 10}` },
      ),
    ];
  } finally {
    await fleet.close();
    await hub?.stop();
    await sim.stop();
  }
}

/** Every device reconnects at once from its cursor; ms until the last one got `ready`. */
async function comeBack(fleet: Fleet, expected: number): Promise<number> {
  const startedAt = nowMs();
  await fleet.reconnect();
  const stats = await fleet.stats();
  if (stats.min !== expected || stats.max !== expected)
    throw new Error(`devices got ${stats.min}…${stats.max} events of ${expected}`);
  return stats.readyAt - startedAt;
}

async function pulls(sim: Worker): Promise<number> {
  return (await sim.request<{ pulls: number }>({ cmd: "pulls" })).pulls;
}
