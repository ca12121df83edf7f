import type { DeviceKey } from "../state/device-store.js";
import type { Selector } from "../routing/selector.js";
import type { SessionData } from "./types.js";

export function deviceKeyOf(session: SessionData): DeviceKey {
  return { tenant: session.tenant, uid: session.uid, deviceId: session.deviceId };
}

export function selectorOf(session: SessionData): Selector {
  return {
    uid: session.uid,
    models: new Set(session.models),
    allowed: session.allowed === "*" ? "*" : new Set(session.allowed),
  };
}
