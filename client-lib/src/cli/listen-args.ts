import { parseArgs } from "node:util";
import { AppType, HandshakeAuth, ModelNameList, issuesOf } from "@odoo-live/protocol";
import * as z from "zod/mini";

export const USAGE = `usage: npm run listen -- --url <hub url> --token <jwt> --device <device id>
                          [--models a.b,c.d] [--app-type <type>]
Connects to a hub as one device and prints one line per message: connected, ready {…},
<seq> <model> <record id> <op> {event}, resync {…}, disconnected <reason>. Errors go to stderr.
  --url       the hub, e.g. http://127.0.0.1:8080
  --token     a client token (npm run token)
  --device    the device id (3 to 255 characters): the hub keeps its cursor and subscriptions
  --models    models to subscribe to, comma-separated; without it, the device's stored ones
  --app-type  ${AppType.options.join(" | ")} (default mobile_app)
  --help      this text
Exit code 0 after --help or Ctrl-C, 1 after a fatal error (e.g. a refused token), 2 for bad
arguments.`;

/** The options as the hub's handshake schema takes them, so the CLI refuses what it would. */
const ListenArgs = z.object({
  url: z.url({ protocol: /^https?$/, error: "must be the hub's http:// or https:// URL" }),
  token: HandshakeAuth.shape.token,
  device: HandshakeAuth.shape.deviceId,
  models: z.optional(ModelNameList),
  "app-type": z.optional(AppType),
});
export type ListenArgs = z.infer<typeof ListenArgs>;

/** `help`, or the validated options; throws with a message naming each bad option. */
export function parseListenArgs(argv: string[]): "help" | ListenArgs {
  const text = { type: "string" } as const;
  const { values } = parseArgs({
    args: argv,
    options: {
      url: text,
      token: text,
      device: text,
      models: text,
      "app-type": text,
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help === true) return "help";
  // zod/mini loads no locale: English for the person at the terminal, who left out an option
  // rather than sent `undefined`.
  z.config({
    ...z.locales.en(),
    customError: (issue) => (issue.input === undefined ? "missing" : undefined),
  });
  const parsed = ListenArgs.safeParse(values);
  if (parsed.success) return parsed.data;
  throw new Error(
    issuesOf(parsed.error)
      .map((i) => `--${i.path}: ${i.message}`)
      .join("\n"),
  );
}
