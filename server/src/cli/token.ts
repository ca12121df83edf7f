import { mintToken } from "../auth/mint.js";
import { loadConfig } from "../config/config.js";
import { useEnglishMessages } from "../ops/zod-messages.js";
import { parseTokenArgs, USAGE, type TokenArgs } from "./token-args.js";

/**
 * Mints a client token signed as the hub's configuration says (JWT_SECRET or the dev default;
 * with JWT_PUBLIC_KEY, JWT_PRIVATE_KEY); usage in token-args.ts, or --help:
 *   npm run token -- --uid 2 --models sale.order,res.partner [--tenant default] [--ttl 3600]
 */
function mint(args: TokenArgs): string {
  const config = loadConfig(process.env);
  const claims = { uid: args.uid, tenant: args.tenant, models: args.models };
  return mintToken(config.jwt, claims, args.ttl);
}

useEnglishMessages();
let args: "help" | TokenArgs;
try {
  args = parseTokenArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`token: ${(error as Error).message}\n(npm run token -- --help)\n`);
  process.exit(2);
}
try {
  process.stdout.write(`${args === "help" ? USAGE : mint(args)}\n`);
} catch (error) {
  // A ConfigError names the bad setting; anything else is as unexpected here.
  process.stderr.write(`odoo-live token: ${(error as Error).message}\n`);
  process.exit(1);
}
