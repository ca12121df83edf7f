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

/**
 * The session's selector, built once and rebuilt only when its subscriptions change (a
 * subscribe or unsubscribe replaces `models`): the dispatcher asks for it on every live event.
 */
export function currentSelector(session: SessionData): () => Selector {
  let models = session.models;
  let selector = selectorOf(session);
  return () => {
    if (session.models !== models) {
      models = session.models;
      selector = selectorOf(session);
    }
    return selector;
  };
}
