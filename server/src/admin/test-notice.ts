import { randomUUID } from "node:crypto";
import type { AdminTest } from "@odoo-live/protocol";
import { deviceRoom } from "../routing/rooms.js";
import type { HubServer } from "../realtime/types.js";

/** How long the admin page waits for devices to answer a test notice. */
const ANSWER_MS = 3000;

export interface TestNoticeTarget {
  tenant: string;
  uid: number;
  deviceId: string;
}

export interface TestNoticeResult {
  notice: AdminTest;
  /** Sessions of the device that answered within ANSWER_MS (0: offline, or a client that never answers). */
  acknowledged: number;
}

/**
 * Sends the device an `admin_test` notice, on whichever node holds its session (its device room
 * spans them). A notice, not an event: it never enters the tenant's log, has no cursor and no
 * seq, so it can neither be replayed nor disturb the device's resume position or its dedupe.
 */
export function sendTestNotice(
  io: HubServer,
  target: TestNoticeTarget,
  message: string,
): Promise<TestNoticeResult> {
  const notice: AdminTest = {
    code: "admin_test",
    id: randomUUID(),
    message,
    sentAt: new Date().toISOString(),
  };
  const room = deviceRoom(target.tenant, target.uid, target.deviceId);
  return new Promise((resolve) => {
    // On timeout the error comes with the answers that did arrive.
    io.to(room)
      .timeout(ANSWER_MS)
      .emit("admin_test", notice, (_error: Error | null, replies: unknown[]) =>
        resolve({ notice, acknowledged: replies.length }),
      );
  });
}
