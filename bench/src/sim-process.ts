/** The Odoo simulator in a process of its own, driven over IPC by the scenarios that pull. */
import { startOdooSim } from "@odoo-live/odoo-sim";
import { SIM_API_KEY, serveParent } from "./processes.js";

const sim = await startOdooSim({ apiKey: SIM_API_KEY });
let recordId = 0;

serveParent(async (message) => {
  switch (message.cmd) {
    // `rows` sale.order changes (a backlog, or what devices miss); every `every`-th one a sale
    // order, the others partners (rows in the ledger that no device selects).
    case "change": {
      const rows = message["rows"] as number;
      const every = (message["every"] as number | undefined) ?? 1;
      for (let i = 1; i <= rows; i++) {
        const model = i % every === 0 ? "sale.order" : "res.partner";
        sim.change({ model, recordId: ++recordId, op: "write", via: "jsonrpc" });
      }
      return Promise.resolve({ url: sim.url });
    }
    // The pull requests Odoo answered so far (the REST pull API, one page each).
    case "pulls":
      return Promise.resolve({
        pulls: sim.requests().filter((r) => r.path === "/api/webhooks/pull").length,
      });
    default:
      throw new Error(`unknown command ${message.cmd}`);
  }
});
