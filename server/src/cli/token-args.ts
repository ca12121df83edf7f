import { parseArgs } from "node:util";
import { ModelNameList, TokenClaims, issuesOf } from "@odoo-live/protocol";
import { z } from "zod";

export const USAGE = `usage: npm run token -- [--uid 2] [--models '*' | a.b,c.d] [--tenant default] [--ttl 3600]
Prints a client token: a JWT signed (HS256) with the hub's JWT_SECRET, or with the development
default while JWT_SECRET is unset, as npm start uses it.
  --uid      the Odoo res.users id it is for (default 2)
  --models   the models it may subscribe to: '*' for every model, or comma-separated (default '*')
  --tenant   the tenant (default "default")
  --ttl      seconds until it expires (default 3600)
  --help     this text`;

function positiveInteger(what: string) {
  return z
    .string()
    .regex(/^[1-9]\d*$/, `must be ${what} (a positive integer)`)
    .transform(Number);
}

const TokenArgs = z.object({
  uid: positiveInteger("a res.users id"),
  tenant: TokenClaims.shape.tenant,
  models: z.union([z.literal("*"), ModelNameList]),
  ttl: positiveInteger("a number of seconds"),
});
export type TokenArgs = z.infer<typeof TokenArgs>;

/** `help`, or the validated options; throws with a message naming each bad option. */
export function parseTokenArgs(argv: string[]): "help" | TokenArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      uid: { type: "string", default: "2" },
      tenant: { type: "string", default: "default" },
      models: { type: "string", default: "*" },
      ttl: { type: "string", default: "3600" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help === true) return "help";
  const parsed = TokenArgs.safeParse(values);
  if (parsed.success) return parsed.data;
  throw new Error(
    issuesOf(parsed.error)
      .map((i) => `--${i.path}: ${i.message}`)
      .join("\n"),
  );
}
