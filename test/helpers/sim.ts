import { startOdooSim, type OdooSim, type OdooSimOptions } from "@odoo-live/odoo-sim";
import { afterEach } from "vitest";

const running: OdooSim[] = [];

afterEach(async () => {
  for (const sim of running.splice(0)) await sim.close();
});

export const SIM_API_KEY = "sim-api-key";

/** A simulated Odoo on a free loopback port, closed after the test. */
export async function startSim(options: OdooSimOptions = {}): Promise<OdooSim> {
  const sim = await startOdooSim({ apiKey: SIM_API_KEY, ...options });
  running.push(sim);
  return sim;
}

/** Hub settings that pull tenant `default` from `sim`, quickly. */
export function pullFrom(sim: OdooSim, env: Record<string, string> = {}): Record<string, string> {
  return {
    ODOO_URL: sim.url,
    ODOO_API_KEY: SIM_API_KEY,
    ODOO_PULL_INTERVAL_MS: "50",
    ODOO_PULL_START: "earliest",
    ...env,
  };
}

let counter = 0;

/** One distinct sale.order change for user `userId` (the record's salesperson). */
export function saleChange(name: string, userId = 2, extra: { commitDelayMs?: number } = {}) {
  const recordId = 1000 + ++counter;
  return {
    model: "sale.order",
    recordId,
    op: "write" as const,
    payload: {
      id: recordId,
      name,
      state: "sale",
      user_id: { id: userId, name: `User ${userId}` },
      write_date: "2025-11-29T10:15:02",
      _changed_fields: ["state"],
    },
    ...extra,
  };
}
