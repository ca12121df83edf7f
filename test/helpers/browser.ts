/**
 * Headless Chromium for the browser tests: Debian's `chromium` driven by playwright-core (which
 * never downloads a browser of its own). Without /usr/bin/chromium the tests are skipped loudly,
 * unless REQUIRE_CHROMIUM=1 (CI installs it and sets that), where they fail.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";

/** Why browser tests are skipped here, or undefined when they run. Throws under REQUIRE_CHROMIUM=1. */
export function chromiumSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `${CHROMIUM} is not installed (apt-get install chromium): browser tests are SKIPPED`;
  if (process.env["REQUIRE_CHROMIUM"] === "1")
    throw new Error(`${reason} (REQUIRE_CHROMIUM=1 forbids it)`);
  process.stderr.write(`\n*** ${reason} ***\n\n`);
  return reason;
}

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** One browser per test file, on a fresh profile that is deleted on close. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "odoo-live-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    viewport: { width: 1280, height: 860 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Everything the page reports as an error: console errors and uncaught exceptions. `expected`
 * may excuse console errors the test provokes on purpose (each test says which and why).
 */
export function consoleErrors(page: Page, expected: (text: string) => boolean = () => false) {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !expected(message.text())) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

/** Where screenshots go: test-results/ at the repository's root (git-ignored). */
export function screenshotPath(name: string): string {
  const dir = join(import.meta.dirname, "..", "..", "test-results");
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
