/**
 * Prints what a device receives, one line per message (usage: listen-args.ts, or --help):
 *   npm run listen -- --url http://127.0.0.1:8080 --token <jwt> --device laptop-1 --models sale.order
 */
import type { NormalizedEvent, Ready } from "@odoo-live/protocol";
import { connect } from "../client.js";
import { parseListenArgs, USAGE, type ListenArgs } from "./listen-args.js";

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}

function eventLine(event: NormalizedEvent): string {
  return `${event.seq} ${event.model} ${event.recordId} ${event.op} ${JSON.stringify(event)}`;
}

/** The hub subscribes a device only to models its token allows, and drops the rest silently. */
function droppedModels(requested: string[] | undefined, ready: Ready): string[] {
  return (requested ?? []).filter((model) => !ready.models.includes(model));
}

function listen(args: ListenArgs): void {
  const requested = args.models;
  const client = connect({
    url: args.url,
    token: args.token,
    deviceId: args.device,
    models: requested,
    appType: args["app-type"],
  });
  let warned = false;
  client.on("event", (event) => line(eventLine(event)));
  client.on("ready", (ready) => {
    line(`ready ${JSON.stringify(ready)}`);
    const dropped = droppedModels(requested, ready);
    if (dropped.length > 0 && !warned) {
      warned = true;
      process.stderr.write(
        `warning: the token does not allow ${dropped.join(", ")}: not subscribed (subscribed: ${ready.models.join(", ") || "nothing"})\n`,
      );
    }
  });
  client.on("resync", (resync) => line(`resync ${JSON.stringify(resync)}`));
  client.on("connect", () => line("connected"));
  client.on("disconnect", (reason) => line(`disconnected ${reason}`));
  client.on("error", (error) => {
    process.stderr.write(`error ${error.code}: ${error.message}\n`);
    if (error.fatal) process.exitCode = 1;
  });
  process.once("SIGINT", () => {
    // close() never rejects; once the socket is gone nothing keeps the process alive.
    void client.close();
  });
}

try {
  const args = parseListenArgs(process.argv.slice(2));
  if (args === "help") line(USAGE);
  else listen(args);
} catch (error) {
  process.stderr.write(`listen: ${(error as Error).message}\n(npm run listen -- --help)\n`);
  process.exitCode = 2;
}
