import {
  normalizeEnvelope,
  normalizeRawPush,
  type EventDraft,
  type OdooPush,
} from "@odoo-live/protocol";
import { nativeHash } from "./native-hash.js";

export type PushContent =
  { kind: "test"; test: "subscriber" | "config" } | { kind: "change"; draft: EventDraft };

/**
 * What a validated push carries. The module's test buttons are acknowledged but not logged:
 * they are not changes, and delivering them would show dashboards a record that does not exist.
 */
export function contentOf(tenant: string, push: OdooPush): PushContent {
  switch (push.kind) {
    case "subscriber_test":
      return { kind: "test", test: "subscriber" };
    case "config_test":
      return { kind: "test", test: "config" };
    case "envelope":
      return { kind: "change", draft: normalizeEnvelope(tenant, push.body, nativeHash) };
    case "raw":
      return { kind: "change", draft: normalizeRawPush(tenant, push.body, nativeHash) };
  }
}
