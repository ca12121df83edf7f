import jsonwebtoken from "jsonwebtoken";
import { loadConfig } from "../config/config.js";
import { useEnglishMessages } from "../ops/zod-messages.js";
import { parseTokenArgs, USAGE, type TokenArgs } from "./token-args.js";

/**
 * Mints a client token signed with the hub's HS256 secret (usage: token-args.ts, or --help):
 *   npm run token -- --uid 2 --models sale.order,res.partner [--tenant default] [--ttl 3600]
 */
function mint(args: TokenArgs): string {
  const config = loadConfig(process.env);
  if (config.jwt.algorithm !== "HS256")
    throw new Error(
      "token minting needs JWT_SECRET (HS256); sign RS256/ES256 tokens with your identity provider",
    );
  const claims = { uid: args.uid, tenant: args.tenant, models: args.models };
  return jsonwebtoken.sign(claims, config.jwt.key, {
    algorithm: "HS256",
    expiresIn: args.ttl,
    ...(config.jwt.issuer === undefined ? {} : { issuer: config.jwt.issuer }),
    ...(config.jwt.audience === undefined ? {} : { audience: config.jwt.audience }),
  });
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
