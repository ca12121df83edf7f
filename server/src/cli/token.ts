import { parseArgs } from "node:util";
import { mintToken } from "../auth/mint.js";
import { ConfigError, loadConfig } from "../config/config.js";

/**
 * Mints a client token signed as the hub's configuration says (JWT_SECRET or the dev default;
 * with JWT_PUBLIC_KEY, JWT_PRIVATE_KEY):
 *   npm run token -- --uid 2 --models sale.order,res.partner [--tenant default] [--ttl 3600]
 */
function main(): void {
  const { values } = parseArgs({
    options: {
      uid: { type: "string", default: "2" },
      tenant: { type: "string", default: "default" },
      models: { type: "string", default: "*" },
      ttl: { type: "string", default: "3600" },
    },
  });
  const config = loadConfig(process.env);
  const models =
    values.models === "*" ? ("*" as const) : values.models.split(",").map((m) => m.trim());
  const claims = { uid: Number(values.uid), tenant: values.tenant, models };
  process.stdout.write(`${mintToken(config.jwt, claims, Number(values.ttl))}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(
    `odoo-live token: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`,
  );
  process.exit(1);
}
