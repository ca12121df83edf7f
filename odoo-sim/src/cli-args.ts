import { parseArgs } from "node:util";
import { ModelName } from "@odoo-live/protocol";
import { z } from "zod";

/** "a, b,c" as ["a", "b", "c"]. */
const commaList = z.string().transform((text) =>
  text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== ""),
);
const userId = z
  .string()
  .regex(/^[1-9]\d*$/, "must be a res.users id")
  .transform(Number);

const CliSettings = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  "api-key": z.string().min(1),
  db: z.string().min(1).optional(),
  /** Changes per second; 0 only serves the API. */
  rate: z.coerce.number().min(0).max(10_000),
  models: commaList.pipe(z.array(ModelName).min(1)),
  "late-commit-ratio": z.coerce.number().min(0).max(1),
  /** How the changes enter Odoo: through the web client (pushed twice) or JSON-RPC (once). */
  via: z.enum(["web", "jsonrpc"]),
  users: commaList.pipe(z.array(userId).min(1)),
  "push-url": z.url({ protocol: /^https?$/ }).optional(),
  "push-auth": z.enum(["none", "bearer", "basic", "api_key"]),
  "push-token": z.string().optional(),
  "push-api-key-header": z.string().optional(),
  /** "off": no cron copy. */
  "cron-delay-ms": z.union([
    z.literal("off").transform(() => null),
    z.coerce.number().int().min(0),
  ]),
  /** Seconds; 0 runs until SIGINT/SIGTERM. */
  duration: z.coerce.number().min(0),
});
export type CliSettings = z.infer<typeof CliSettings>;

const DEFAULTS = {
  port: "8069",
  host: "127.0.0.1",
  "api-key": "sim-api-key",
  rate: "5",
  models: "sale.order,res.partner",
  "late-commit-ratio": "0.05",
  via: "web",
  users: "2",
  "push-auth": "bearer",
  "cron-delay-ms": "60000",
  duration: "0",
};

export const USAGE = `usage: npm run sim -- [options]
odoo-sim: an Odoo with the auto_webhook module, generating business changes
  --port 8069  --host 127.0.0.1  --api-key sim-api-key  [--db NAME]
  --rate 5 (changes/s)  --models sale.order,res.partner  --late-commit-ratio 0.05
  --via web|jsonrpc (how changes enter Odoo: web pushes instant models twice, jsonrpc once)
  --users 2 (records' salespeople)  --duration 0 (seconds, 0 = until SIGINT/SIGTERM)
  [--push-url URL --push-auth none|bearer|basic|api_key --push-token T
   --push-api-key-header X-API-Key --cron-delay-ms 60000|off]
  --help  this text (odoo-sim/README.md says more)`;

/** `help`, or the parsed command line; throws with a message naming the bad option. */
export function parseCli(argv: string[]): "help" | CliSettings {
  const names = [...Object.keys(CliSettings.shape)];
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...Object.fromEntries(names.map((name) => [name, { type: "string" as const }])),
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help === true) return "help";
  const parsed = CliSettings.safeParse({ ...DEFAULTS, ...values });
  if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
  return parsed.data;
}
