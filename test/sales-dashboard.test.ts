/**
 * The sales dashboard example (examples/sales-dashboard) in headless Chromium, served by its own
 * server against a real hub that takes a simulated Odoo's pushes and pulls its ledger. What the
 * page shows is checked against the simulator's `update.webhook` rows: every sale order once, with
 * its latest state, each change applied once; after a page reload, after the page was closed
 * while changes were made, and after a hub restart while changes were made.
 */
import { serveDashboard, type Dashboard } from "@odoo-live/example-sales-dashboard";
import { ChangeGenerator, type OdooSim } from "@odoo-live/odoo-sim";
import type { Hub } from "@odoo-live/server";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  chromiumSkipReason,
  consoleErrors,
  launchBrowser,
  screenshotPath,
  type TestBrowser,
} from "./helpers/browser.js";
import { mintToken, PUSH_TOKEN, startTestHub } from "./helpers/hub.js";
import { freePort } from "./helpers/ports.js";
import { pullFrom, startSim } from "./helpers/sim.js";
import { waitFor } from "./helpers/wait.js";

const skip = chromiumSkipReason();

/** A row as the page shows it (its data attributes), or as the ledger says it should be. */
interface Shown {
  orderId: string;
  state: string;
  amount: string;
  salesperson: string;
  changes: string;
}

/** The latest state of every sale order in the simulator's ledger, and its number of changes. */
function expected(sim: OdooSim): { rows: Shown[]; changes: number } {
  const rows = sim.rows().filter((row) => row.model === "sale.order");
  const orders = new Map<number, Shown | undefined>();
  const counts = new Map<number, number>();
  for (const row of rows) {
    const count = (counts.get(row.record_id) ?? 0) + 1;
    counts.set(row.record_id, count);
    const { state, amount_total, user_id } = row.payload;
    orders.set(
      row.record_id,
      row.event === "unlink"
        ? undefined
        : {
            orderId: String(row.record_id),
            state: String(state),
            amount: String(amount_total),
            salesperson: String((user_id as { id: number }).id),
            changes: String(count),
          },
    );
  }
  const shown = [...orders.values()].filter((o): o is Shown => o !== undefined);
  return { rows: sortRows(shown), changes: rows.length };
}

/** What the page functions use of a DOM element (the tests are compiled without the DOM lib). */
interface Attributes {
  getAttribute(name: string): string | null;
}

async function shown(page: Page): Promise<{ rows: Shown[]; changes: number }> {
  const keys = ["orderId", "state", "amount", "salesperson", "changes"] as const;
  const rows = await page.$$eval(
    "tr[data-order-id]",
    (trs: Attributes[], names) =>
      trs.map((tr) =>
        Object.fromEntries(
          names.map((name) => [
            name,
            tr.getAttribute(`data-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`),
          ]),
        ),
      ),
    keys,
  );
  const applied = await page.$eval("#summary", (el: Attributes) => el.getAttribute("data-applied"));
  return { rows: sortRows(rows as unknown as Shown[]), changes: Number(applied) };
}

function sortRows(rows: Shown[]): Shown[] {
  return rows.sort((a, b) => Number(a.orderId) - Number(b.orderId));
}

/** Waits until the page shows what the ledger holds, then compares them (for a readable diff). */
async function expectLedgerShown(page: Page, sim: OdooSim, what: string): Promise<void> {
  const same = async () => JSON.stringify(await shown(page)) === JSON.stringify(expected(sim));
  await waitFor(same, { timeoutMs: 15_000, intervalMs: 50, what }).catch(() => undefined);
  expect(await shown(page), what).toEqual(expected(sim));
}

/** Deterministic randomness for the simulator's business activity. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.skipIf(skip !== undefined)("the sales dashboard example in Chromium", () => {
  let browser: TestBrowser;
  let dashboard: Dashboard | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());
  afterEach(async () => dashboard?.close());

  test("every order once, with its latest state, across reloads and a hub restart", async () => {
    const sim = await startSim();
    const port = await freePort();
    const env = pullFrom(sim, { PORT: String(port) });
    const hub: Hub = await startTestHub(env);
    // Odoo's pushes (instant, and the cron's re-sends of web-client changes) and the pull.
    sim.subscribe({
      url: `${hub.url}/webhooks/odoo`,
      authType: "bearer",
      token: PUSH_TOKEN,
      cronDelayMs: 300,
    });
    const users = [
      { id: 2, name: "Mitchell Admin" },
      { id: 6, name: "Marc Demo" },
      { id: 7, name: "Joel Willis" },
    ];
    const generator = new ChangeGenerator({
      models: ["sale.order"],
      users,
      lateCommitRatio: 0,
      random: seeded(15),
    });
    // A second apart in the records' write_date, as Odoo would stamp separate edits.
    let clock = Date.parse("2026-03-02T09:00:00Z");
    const change = (count: number) => {
      for (let i = 0; i < count; i++) sim.change(generator.next(new Date((clock += 1000))));
    };
    dashboard = await serveDashboard({
      hubUrl: hub.url,
      token: () => mintToken({ uid: 2, models: ["sale.order"] }),
    });
    const page = await browser.context.newPage();
    // The only errors allowed: Chromium's report of the WebSocket the hub refused while down.
    const refused = `WebSocket connection to 'ws://127.0.0.1:${port}/socket.io/`;
    const errors = consoleErrors(page, (text) => text.startsWith(refused));
    const live = () => page.waitForSelector('#status[data-status="live"]', { timeout: 15_000 });
    await page.goto(dashboard.url);
    await live();

    change(15);
    await expectLedgerShown(page, sim, "live changes");

    change(6); // while the page reloads: some arrive before, the rest are replayed after
    await page.reload();
    await live();
    await expectLedgerShown(page, sim, "after a reload");

    await page.goto("about:blank");
    change(6); // while no page is open
    await page.goto(dashboard.url);
    await live();
    await expectLedgerShown(page, sim, "after reopening the page");

    await hub.close();
    change(8); // while the hub is down: their pushes fail, the ledger keeps them
    await startTestHub(env); // on the same port; closed after the test
    change(4);
    await expectLedgerShown(page, sim, "after a hub restart");
    expect(await page.textContent("#status")).toMatch(/caught up|live/);

    const file = screenshotPath("sales-dashboard.png");
    await page.screenshot({ path: file, fullPage: true });
    process.stdout.write(`sales dashboard screenshot: ${file}\n`);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
