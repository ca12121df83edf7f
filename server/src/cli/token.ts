import { parseArgs } from "node:util";
import jsonwebtoken from "jsonwebtoken";
import { ConfigError, loadConfig } from "../config/config.js";

/**
 * Mints a client token signed with the hub's HS256 secret (JWT_SECRET, or the dev default):
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
  if (config.jwt.algorithm !== "HS256")
    throw new Error(
      "token minting needs JWT_SECRET (HS256); sign RS256/ES256 tokens with your identity provider",
    );
  const models = values.models === "*" ? "*" : values.models.split(",").map((m) => m.trim());
  const claims = { uid: Number(values.uid), tenant: values.tenant, models };
  const token = jsonwebtoken.sign(claims, config.jwt.key, {
    algorithm: "HS256",
    expiresIn: Number(values.ttl),
    ...(config.jwt.issuer === undefined ? {} : { issuer: config.jwt.issuer }),
    ...(config.jwt.audience === undefined ? {} : { audience: config.jwt.audience }),
  });
  process.stdout.write(`${token}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(
    `odoo-live token: ${error instanceof ConfigError ? error.message : (error as Error).message}\n`,
  );
  process.exit(1);
}
