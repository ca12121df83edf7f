/** The Odoo simulator in a process of its own, with a backlog of `update.webhook` rows. */
import { startOdooSim } from "@odoo-live/odoo-sim";
import { SIM_API_KEY, serveParent } from "./processes.js";

const sim = await startOdooSim({ apiKey: SIM_API_KEY });
serveParent(async (message) => {
  const rows = message["rows"] as number;
  for (let i = 1; i <= rows; i++) sim.change({ model: "sale.order", recordId: i, op: "write" });
  return Promise.resolve({ url: sim.url });
});
