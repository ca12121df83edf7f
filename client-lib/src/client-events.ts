import type { AdminTest, NormalizedEvent, Ready, Resync } from "@odoo-live/protocol";
import type { ClientErrorInfo } from "./errors.js";

/**
 * What the app can listen to. `event`, `ready` and `resync` listeners may be async: they run one
 * message at a time, in order, and the cursor is stored only after they all settled.
 */
export interface ClientEvents {
  event: (event: NormalizedEvent) => void | Promise<void>;
  ready: (ready: Ready) => void | Promise<void>;
  resync: (resync: Resync) => void | Promise<void>;
  error: (error: ClientErrorInfo) => void | Promise<void>;
  connect: () => void | Promise<void>;
  disconnect: (reason: string) => void | Promise<void>;
  /**
   * A test notice an operator sent this device from the hub's admin page. Not an event: no
   * cursor, nothing stored, never replayed. The hub hears back once the listeners settled.
   */
  admin_test: (notice: AdminTest) => void | Promise<void>;
}

export type ClientEventName = keyof ClientEvents;
