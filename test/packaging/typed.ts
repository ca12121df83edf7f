// Type-checked in the scratch project under several moduleResolution settings (as .ts and .mts).
import {
  connect,
  memoryStorage,
  type ClientErrorInfo,
  type OdooLiveClient,
} from "@odoo-live/client";
import { isWireMessage, type NormalizedEvent } from "@odoo-live/protocol";

const client: OdooLiveClient = connect({
  url: "http://127.0.0.1:8080",
  token: () => "token",
  deviceId: "device-1",
  appType: "sales_app",
  storage: memoryStorage(),
});
client.on("event", (event: NormalizedEvent) => console.log(event.seq.toFixed(0)));
client.on("error", (error: ClientErrorInfo) => console.log(error.code));
console.log(isWireMessage("Ready", {}));
// @ts-expect-error: not an app type; an error here means the options are typed, not `any`.
connect({ url: "http://127.0.0.1:8080", token: "t", deviceId: "device-2", appType: "tv_app" });
