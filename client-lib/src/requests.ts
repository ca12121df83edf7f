import { isWireMessage, type ClientToServerEvents, type WireMessages } from "@odoo-live/protocol";
import { OdooLiveError } from "./errors.js";
import type { HubSocket } from "./hub-socket.js";

/**
 * Request/answer over Socket.IO acknowledgements. Answers are checked against the protocol's
 * schemas: they are rare, and the app acts on them (its subscription list, its acked position, the
 * models a new token allows).
 */

/** Each request's answer, by the name of its wire check. */
const replies = {
  subscribe: "SubscribeReply",
  unsubscribe: "SubscribeReply",
  ack: "AckReply",
  refresh: "RefreshReply",
} as const satisfies Record<keyof ClientToServerEvents, keyof WireMessages>;

type Name = keyof typeof replies;
type Answer<N extends Name> = Extract<WireMessages[(typeof replies)[N]], { ok: true }>;

/**
 * Sends `name` and resolves with the hub's `ok` answer; rejects with the hub's refusal, or
 * `disconnected`, `timeout`, `invalid_message` (an answer that does not match the protocol).
 */
export function request<N extends Name>(
  socket: HubSocket,
  name: N,
  body: Parameters<ClientToServerEvents[N]>[0],
  timeoutMs: number,
): Promise<Answer<N>> {
  return new Promise((resolve, reject) => {
    const fail = (code: OdooLiveError["code"], message: string) =>
      reject(new OdooLiveError(code, message));
    if (!socket.connected) return fail("disconnected", `${name}: not connected`);
    const timed = socket.timeout(timeoutMs);
    // The signature ties each name to its body; Socket.IO's typed overloads cannot follow a
    // generic name, so the emit is seen through the shape every request shares.
    const emit = timed.emit.bind(timed) as (
      name: N,
      body: unknown,
      reply: (error: Error | null, answer: unknown) => void,
    ) => void;
    emit(name, body, (error, answer) => {
      if (error !== null)
        return fail("timeout", `${name}: no answer from the hub within ${timeoutMs} ms`);
      if (!isWireMessage(replies[name], answer)) {
        return fail("invalid_message", `${name}: the hub's answer does not match the protocol`);
      }
      const reply: WireMessages[(typeof replies)[Name]] = answer;
      if (!reply.ok) return fail(reply.error.code, reply.error.message);
      // The check above is the one `replies` names for N.
      resolve(reply as Answer<N>);
    });
  });
}
