import { ConfigError, loadConfig, type Config } from "./config/config.js";
import { startHub } from "./hub.js";
import { createLogger } from "./ops/logger.js";

function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`odoo-live: ${error.message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.logLevel);
  if (config.devDefaults.length > 0) {
    process.stderr.write(
      `odoo-live: development defaults in use (refused when NODE_ENV=production):\n${config.devDefaults.map((d) => `  ${d}\n`).join("")}`,
    );
  }
  const hub = await startHub(config, { logger });
  logger.info({ url: hub.url, tenants: [...config.tenants.keys()] }, "odoo-live listening");
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    hub.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`odoo-live: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
