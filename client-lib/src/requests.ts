import { isWireMessage, type AckRequest, type ModelDomains } from "@odoo-live/protocol";
import { OdooLiveError } from "./errors.js";
import type { HubSocket } from "./hub-socket.js";

/**
 * Request/answer over Socket.IO acknowledgements. Answers are checked against the protocol's schemas:
 * they are rare, and the app acts on them (its subscription list, its acked position).
 */

/** Resolves with the device's subscriptions after the change. */
export function requestModels(
  socket: HubSocket,
  name: "subscribe" | "unsubscribe",
  models: string[],
  timeoutMs: number,
  where?: ModelDomains,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    if (!socket.connected) return reject(offline(name));
    const request = where === undefined ? { models } : { models, where };
    socket.timeout(timeoutMs).emit(name, request, (error, reply) => {
      if (error !== null) return reject(timedOut(name, timeoutMs));
      if (!isWireMessage("SubscribeReply", reply)) return reject(malformed(name));
      if (!reply.ok) return reject(refused(reply.error));
      resolve(reply.models);
    });
  });
}

/** Resolves with the cursor the hub recorded. */
export function requestAck(
  socket: HubSocket,
  request: AckRequest,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!socket.connected) return reject(offline("ack"));
    socket.timeout(timeoutMs).emit("ack", request, (error, reply) => {
      if (error !== null) return reject(timedOut("ack", timeoutMs));
      if (!isWireMessage("AckReply", reply)) return reject(malformed("ack"));
      if (!reply.ok) return reject(refused(reply.error));
      resolve(reply.cursor);
    });
  });
}

function offline(name: string): OdooLiveError {
  return new OdooLiveError("disconnected", `${name}: not connected`);
}

function timedOut(name: string, timeoutMs: number): OdooLiveError {
  return new OdooLiveError("timeout", `${name}: no answer from the hub within ${timeoutMs} ms`);
}

function malformed(name: string): OdooLiveError {
  return new OdooLiveError(
    "invalid_message",
    `${name}: the hub's answer does not match the protocol`,
  );
}

function refused(error: { code: OdooLiveError["code"]; message: string }): OdooLiveError {
  return new OdooLiveError(error.code, error.message);
}
