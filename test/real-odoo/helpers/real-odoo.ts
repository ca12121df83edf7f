/**
 * The real Odoo 18 with the real `auto_webhook` module from `../shared/real-odoo` (its README
 * says what `start.sh` does). Without that folder the suites here are skipped loudly, unless
 * REQUIRE_REAL_ODOO=1 (CI), where they fail.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const DIR = resolve(ROOT, process.env["REAL_ODOO_DIR"] ?? join("..", "shared", "real-odoo"));
const START = join(DIR, "start.sh");

/** What `start.sh` prints and a test needs. */
export interface RealOdooFacts {
  url: string;
  db: string;
  apiKey: string;
  pushToken: string;
  login: string;
  password: string;
  subscriberId: number;
  /** The module's "Process Pending Events" cron (the one-minute cron sender). */
  cronPendingId: number;
  /** Odoo's server log, when start.sh names it. */
  log: string | undefined;
}

/** Why the real-Odoo suites are skipped here, or undefined when they run. */
export function realOdooSkipReason(): string | undefined {
  if (existsSync(START)) return undefined;
  const reason = `${START} does not exist: the real-Odoo suites are SKIPPED`;
  if (process.env["REQUIRE_REAL_ODOO"] === "1")
    throw new Error(`${reason} (REQUIRE_REAL_ODOO=1 forbids it)`);
  process.stderr.write(`\n*** ${reason} ***\n\n`);
  return reason;
}

/**
 * Starts Odoo (or reuses the running one and its initialised database: ~70 s the first time on a
 * machine, 5-8 s after) and points the hub's subscriber at `pushUrl`, also in a running Odoo.
 */
export async function startRealOdoo(pushUrl: string): Promise<RealOdooFacts> {
  const { stdout } = await promisify(execFile)("bash", [START, "--push-url", pushUrl], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 600_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const facts = new Map(
    stdout
      .trim()
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  const fact = (key: string) => {
    const value = facts.get(key);
    if (value === undefined || value === "") throw new Error(`start.sh printed no ${key}`);
    return value;
  };
  return {
    url: fact("REAL_ODOO_URL"),
    db: fact("REAL_ODOO_DB"),
    apiKey: fact("REAL_ODOO_API_KEY"),
    pushToken: fact("REAL_ODOO_PUSH_TOKEN"),
    login: fact("REAL_ODOO_ADMIN_LOGIN"),
    password: fact("REAL_ODOO_ADMIN_PASSWORD"),
    subscriberId: Number(fact("REAL_ODOO_SUBSCRIBER_ID")),
    cronPendingId: Number(fact("REAL_ODOO_CRON_PENDING_ID")),
    log: facts.get("REAL_ODOO_LOG") || undefined,
  };
}
