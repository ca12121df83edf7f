import { isWireMessage } from "@odoo-live/protocol";
import { OdooLiveError } from "./errors.js";
import type { HubSocket } from "./hub-socket.js";

/**
 * Hands the live session a new token (`refresh`), so that it outlives the one it connected
 * with. Rejects with the hub's refusal (wrong user, expired, invalid), a timeout, or offline.
 */
export function requestRefresh(socket: HubSocket, token: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!socket.connected)
      return reject(new OdooLiveError("disconnected", "refresh: not connected"));
    socket.timeout(timeoutMs).emit("refresh", { token }, (error, reply) => {
      if (error !== null) {
        const message = `refresh: no answer from the hub within ${timeoutMs} ms`;
        return reject(new OdooLiveError("timeout", message));
      }
      if (!isWireMessage("RefreshReply", reply)) {
        const message = "refresh: the hub's answer does not match the protocol";
        return reject(new OdooLiveError("invalid_message", message));
      }
      if (!reply.ok) return reject(new OdooLiveError(reply.error.code, reply.error.message));
      resolve();
    });
  });
}
