/** A device as an app runs it: client-lib's `connect`, recording what the app's handlers saw. */
import { connect, memoryStorage, type CursorStorage, type OdooLiveClient } from "@odoo-live/client";
import type { NormalizedEvent, Ready, Resync } from "@odoo-live/protocol";
import type { Hub } from "@odoo-live/server";
import { afterEach } from "vitest";
import { mintToken } from "../../helpers/hub.js";

const open: OdooLiveClient[] = [];
afterEach(async () => {
  for (const client of open.splice(0)) await client.close();
});

export interface App {
  client: OdooLiveClient;
  seen: NormalizedEvent[];
  readies: Ready[];
  resyncs: Resync[];
}

export function startApp(
  hub: Hub,
  device: { deviceId: string; models: string[]; uid?: number; storage?: CursorStorage },
): App {
  const client = connect({
    url: hub.url,
    token: mintToken({ uid: device.uid ?? 2 }),
    deviceId: device.deviceId,
    models: device.models,
    storage: device.storage ?? memoryStorage(),
    ackIntervalMs: 50,
    reconnect: { minDelayMs: 20, maxDelayMs: 100 },
  });
  open.push(client);
  const app: App = { client, seen: [], readies: [], resyncs: [] };
  client.on("event", (event) => void app.seen.push(event));
  client.on("ready", (ready) => void app.readies.push(ready));
  client.on("resync", (resync) => void app.resyncs.push(resync));
  return app;
}
