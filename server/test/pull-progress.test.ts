import { describe, expect, test } from "vitest";
import { saleChange, SIM_API_KEY, startSim } from "../../test/helpers/sim.js";
import { waitFor } from "../../test/helpers/wait.js";
import { PullProgress } from "../src/ingest/pull-progress.js";
import { RestLedger } from "../src/odoo/ledger-rest.js";
import { OdooClient } from "../src/odoo/odoo-client.js";

async function setup(rows: number) {
  const sim = await startSim();
  for (let i = 0; i < rows; i++) sim.change(saleChange(`P${i}`));
  const ledger = new RestLedger(new OdooClient({ url: sim.url, timeoutMs: 2000 }, SIM_API_KEY));
  let now = 1_000_000;
  const progress = new PullProgress(ledger, 0, () => now);
  const requests = () => sim.requests().length;
  return { progress, requests, advance: (ms: number) => (now += ms) };
}

describe("PullProgress", () => {
  test("lag runs from the last read that reached the end; nothing is asked of Odoo for it", async () => {
    const { progress, requests, advance } = await setup(3);
    advance(2500);
    expect(progress.lagSeconds()).toBe(2.5);
    progress.page(3, false);
    expect(progress.lagSeconds()).toBe(0);
    advance(1000);
    expect(progress.lagSeconds()).toBe(1);
    expect(progress.idsBehind()).toBe(0);
    expect(requests()).toBe(0);
  });

  test("while pages say more, Odoo's newest id is measured, at most every 10 s", async () => {
    const { progress, requests, advance } = await setup(30);
    progress.page(10, true);
    await waitFor(() => progress.idsBehind() === 20, { what: "the measured newest id" });
    const measuring = requests();
    progress.page(20, true);
    expect(progress.idsBehind()).toBe(10);
    advance(9_999);
    progress.page(25, true);
    expect(requests()).toBe(measuring);
    advance(1);
    progress.page(26, true);
    await waitFor(() => requests() > measuring, { what: "a second measure" });
    progress.page(30, false);
    expect(progress.idsBehind()).toBe(0);
  });
});
