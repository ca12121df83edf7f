import { ChangeGenerator } from "./generator.js";
import { parseCli, USAGE, type CliSettings } from "./cli-args.js";
import { startOdooSim } from "./sim.js";
import type { OdooSim } from "./types.js";
import { userName } from "./users.js";

/**
 * npm run sim -- --rate 5 --push-url http://127.0.0.1:8080/webhooks/odoo --push-token T
 * Prints one JSON line per change on stdout; everything else goes to stderr.
 */
async function main(): Promise<void> {
  let settings: "help" | CliSettings;
  try {
    settings = parseCli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`odoo-sim: ${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (settings === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const baseUsers = Array.from({ length: 1000 }, (_, i) => i + 1);
  const sim = await startOdooSim({
    port: settings.port,
    host: settings.host,
    apiKey: settings["api-key"],
    db: settings.db,
    users: [...new Set([...baseUsers, ...settings.users])],
  });
  if (settings["push-url"] !== undefined)
    sim.subscribe({
      url: settings["push-url"],
      authType: settings["push-auth"],
      token: settings["push-token"],
      apiKeyHeader: settings["push-api-key-header"],
      cronDelayMs: settings["cron-delay-ms"],
    });
  process.stderr.write(`odoo-sim listening on ${sim.url} (X-API-Key: ${settings["api-key"]})\n`);
  run(sim, settings);
}

function run(sim: OdooSim, settings: CliSettings): void {
  const generator = new ChangeGenerator({
    models: settings.models,
    users: settings.users.map((id) => ({ id, name: userName(id) })),
    lateCommitRatio: settings["late-commit-ratio"],
  });
  const tick = () => {
    const change = generator.next(new Date());
    const { updateWebhookId } = sim.change({ ...change, via: settings.via });
    const line = {
      id: updateWebhookId,
      model: change.model,
      recordId: change.recordId,
      op: change.op,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
  const ticker = settings.rate > 0 ? setInterval(tick, 1000 / settings.rate) : undefined;
  const limit =
    settings.duration > 0
      ? setTimeout(() => stop("duration reached"), settings.duration * 1000)
      : undefined;
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(ticker);
    clearTimeout(limit);
    process.stderr.write(`odoo-sim stopping (${why})\n`);
    void sim.close();
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  process.stderr.write(`odoo-sim: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
