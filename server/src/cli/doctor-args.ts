import { parseArgs } from "node:util";
import { z } from "zod";

export const USAGE = `Checks an Odoo deployment for the hub, step by step, and says what is wrong.

  npm run doctor -- --odoo-url URL [--db NAME] --api-key KEY [options]
      checks the Odoo given on the command line (with --push-token, the hub's secret)
  npm run doctor -- [--tenant ID] [options]
      checks the Odoo of each tenant of the hub's own configuration (the environment and
      HUB_TENANTS_FILE, as npm start reads them)

options:
  --hub-url URL         the hub's address as Odoo reaches it (e.g. https://live.example.com):
                        the subscriber must point at URL/webhooks/odoo[/tenant]
  --push-token T        the hub's push token (PUSH_TOKEN), with --odoo-url
  --push-header H       the hub's API-key header (PUSH_HEADER, default X-API-Key), with --odoo-url
  --models a,b          the models devices subscribe to: each needs a rule sending it to the hub
  --rpc-login L --rpc-password P
                        an Odoo user (password or API key) to read the subscriber and rules
  --rpc-uid N --rpc-key K
                        the same by user id and API key (the hub's ODOO_RPC_UID/ODOO_RPC_KEY)
  --sync-uid N          the res.users id whose user.sync.state is written (default: the RPC
                        user, else 2); the doctor writes the state of device "odoo-live-doctor"
  --timeout-ms N        per request to Odoo (default 10000)
  --help                this text

Exit status: 0 when nothing failed, 1 when a check failed, 2 on bad arguments.`;

const commaList = z.string().transform((text) =>
  text
    .split(",")
    .map((part) => part.trim())
    .filter((p) => p !== ""),
);
const positiveInt = z.coerce.number().int().positive();

const DoctorArgs = z
  .strictObject({
    "odoo-url": z.url({ protocol: /^https?$/ }).optional(),
    db: z.string().min(1).optional(),
    "api-key": z.string().min(1).optional(),
    "hub-url": z.url({ protocol: /^https?$/ }).optional(),
    "push-token": z.string().min(1).optional(),
    "push-header": z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, "must be an HTTP header name")
      .optional(),
    tenant: z.string().min(1).optional(),
    models: commaList.optional(),
    "rpc-login": z.string().min(1).optional(),
    "rpc-password": z.string().min(1).optional(),
    "rpc-uid": positiveInt.optional(),
    "rpc-key": z.string().min(1).optional(),
    "sync-uid": positiveInt.optional(),
    "timeout-ms": positiveInt.default(10_000),
    help: z.boolean().default(false),
  })
  .refine((a) => (a["rpc-login"] === undefined) === (a["rpc-password"] === undefined), {
    message: "--rpc-login and --rpc-password go together",
    path: ["rpc-login"],
  })
  .refine((a) => (a["rpc-uid"] === undefined) === (a["rpc-key"] === undefined), {
    message: "--rpc-uid and --rpc-key go together",
    path: ["rpc-uid"],
  })
  .refine((a) => a["rpc-login"] === undefined || a["rpc-uid"] === undefined, {
    message: "give --rpc-login/--rpc-password or --rpc-uid/--rpc-key, not both",
    path: ["rpc-uid"],
  })
  .refine(
    (a) =>
      a["odoo-url"] !== undefined ||
      (a.db === undefined && a["api-key"] === undefined && a["push-token"] === undefined),
    {
      message: "--db, --api-key and --push-token describe an Odoo given with --odoo-url",
      path: ["odoo-url"],
    },
  );
export type DoctorArgs = z.infer<typeof DoctorArgs>;

/** The command line, validated; throws an Error whose message names each bad option. */
export function parseDoctorArgs(argv: string[]): DoctorArgs {
  const names = Object.keys(DoctorArgs.shape);
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: Object.fromEntries(
      names.map((name) => [
        name,
        { type: name === "help" ? ("boolean" as const) : ("string" as const) },
      ]),
    ),
  });
  if (positionals.length > 0) throw new Error(`unexpected argument: ${positionals.join(" ")}`);
  const parsed = DoctorArgs.safeParse(values);
  if (parsed.success) return parsed.data;
  throw new Error(
    parsed.error.issues
      .map((i) => `${i.path.length > 0 ? `--${i.path.join(".")}` : "arguments"}: ${i.message}`)
      .join("\n"),
  );
}
