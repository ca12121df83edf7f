/**
 * Prints what a device receives, one line per message:
 *   node client-lib/dist/cli/listen.js --url http://localhost:8080 --token <jwt> --device laptop-1 \
 *     [--models sale.order,res.partner] [--app-type manager_app]
 */
import { parseArgs } from "node:util";
import type { NormalizedEvent } from "@odoo-live/protocol";
import { connect } from "../client.js";
import type { AppType } from "../options.js";

const USAGE =
  "usage: listen --url <hub url> --token <jwt> --device <device id> [--models a.b,c.d] [--app-type <type>]";

function readArgs() {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      token: { type: "string" },
      device: { type: "string" },
      models: { type: "string" },
      "app-type": { type: "string" },
    },
  });
  const { url, token, device } = values;
  if (url === undefined || token === undefined || device === undefined) {
    throw new Error(USAGE);
  }
  const models = values.models
    ?.split(",")
    .map((m) => m.trim())
    .filter((m) => m !== "");
  return {
    url,
    token,
    deviceId: device,
    models,
    appType: values["app-type"] as AppType | undefined,
  };
}

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}

function eventLine(event: NormalizedEvent): string {
  return `${event.seq} ${event.model} ${event.recordId} ${event.op} ${JSON.stringify(event)}`;
}

function main(): void {
  const client = connect(readArgs());
  client.on("event", (event) => line(eventLine(event)));
  client.on("ready", (ready) => line(`ready ${JSON.stringify(ready)}`));
  client.on("resync", (resync) => line(`resync ${JSON.stringify(resync)}`));
  client.on("connect", () => line("connected"));
  client.on("disconnect", (reason) => line(`disconnected ${reason}`));
  client.on("error", (error) => {
    process.stderr.write(`error ${error.code} ${error.message}\n`);
    if (error.fatal) process.exitCode = 1;
  });
  process.once("SIGINT", () => {
    // close() never rejects; once the socket is gone nothing keeps the process alive.
    void client.close();
  });
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
