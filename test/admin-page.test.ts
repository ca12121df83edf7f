/**
 * The admin page in headless Chromium: log in with HUB_ADMIN_TOKEN, see a device connect and an
 * event counted, send the device a test notice that its client library hands to the app; no
 * console error on the way.
 */
import { connect, memoryStorage } from "@odoo-live/client";
import type { AdminTest } from "@odoo-live/protocol";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  chromiumSkipReason,
  consoleErrors,
  launchBrowser,
  screenshotPath,
  type TestBrowser,
} from "./helpers/browser.js";
import { pushNamed } from "./helpers/changes.js";
import { mintToken, startTestHub } from "./helpers/hub.js";
import { pullFrom, startSim } from "./helpers/sim.js";
import { waitFor } from "./helpers/wait.js";

const ADMIN = "an-admin-token-0123456789";
const skip = chromiumSkipReason();

describe.skipIf(skip !== undefined)("the admin page in Chromium", () => {
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  test("log in, see a device connect and an event counted, send it a test notice", async () => {
    const sim = await startSim();
    const hub = await startTestHub(pullFrom(sim, { HUB_ADMIN_TOKEN: ADMIN }));
    const page = await browser.context.newPage();
    const errors = consoleErrors(page);
    await page.goto(`${hub.url}/admin`);
    await page.fill('input[name="token"]', ADMIN);
    await page.click('button[type="submit"]');
    const tenant = page.locator('section[data-tenant="default"]');
    const field = (name: string) => tenant.locator(`[data-field="${name}"]`);
    await field("devices-total").waitFor({ timeout: 5000 });
    expect(await field("devices-total").textContent()).toBe("0");
    await waitFor(async () => (await field("odoo-state").textContent()) === "Odoo up", {
      what: "the pull's Odoo state",
    });

    const notices: AdminTest[] = [];
    const events: string[] = [];
    const device = connect({
      url: hub.url,
      token: mintToken({ uid: 2 }),
      deviceId: "tablet-admin-ui",
      appType: "sales_app",
      models: ["sale.order"],
      storage: memoryStorage(),
    });
    device.on("admin_test", (notice) => void notices.push(notice));
    device.on("event", (event) => void events.push(event.id));
    try {
      const shows = (name: string, text: string) =>
        waitFor(async () => (await field(name).textContent()) === text, {
          what: `${name} = ${text} on the page`,
        });
      await shows("devices-total", "1");
      expect(await tenant.locator(".chip", { hasText: "sales_app 1" }).count()).toBe(1);
      await pushNamed(hub, ["S1"]);
      await waitFor(() => events.length === 1, { what: "the device's event" });
      await shows("ingested-total", "1");
      await shows("emitted-total", "1");

      await tenant
        .locator('select[name="device"]')
        .selectOption({ label: "tablet-admin-ui (uid 2, sales_app)" });
      await tenant.locator('input[name="message"]').fill("Hello from the admin test");
      await tenant.getByRole("button", { name: "Send test notice" }).click();
      await waitFor(
        async () => /^Delivered/.test((await field("notice-result").textContent()) ?? ""),
        { what: "the notice's answer on the page" },
      );
      expect(notices).toEqual([
        expect.objectContaining({ code: "admin_test", message: "Hello from the admin test" }),
      ]);
      expect(events).toHaveLength(1); // a notice is not an event

      const file = screenshotPath("admin-page.png");
      await page.screenshot({ path: file, fullPage: true });
      process.stdout.write(`admin page screenshot: ${file}\n`);
      expect(errors).toEqual([]);
    } finally {
      await device.close();
      await page.close();
    }
  });
});
