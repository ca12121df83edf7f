import type { IncomingMessage } from "node:http";
import { HttpError } from "./http-error.js";

/**
 * The client went away before its body ended (a timeout, a network blip): nobody is left to
 * answer, and it is the client's doing, not a fault of the hub (no 5xx, no error log).
 */
export class ClientGone extends Error {}

/**
 * A request body as text, at most `maxBytes`, read from Node's own stream by its events (an
 * async iterator over it cost a push about 5 µs more). Past `maxBytes` the promise rejects with
 * 413, which closes the connection: the rest of the body is left unread rather than received
 * and thrown away.
 */
export function readBody(incoming: IncomingMessage, maxBytes: number): Promise<string> {
  if (Number(incoming.headers["content-length"] ?? 0) > maxBytes)
    return Promise.reject(tooLarge(maxBytes));
  // A client that hung up while the request waited (the address check may ask Redis first) has
  // already closed it: its `close` will not fire again.
  if (incoming.destroyed && !incoming.complete) return Promise.reject(gone());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      incoming.off("data", onData);
      reject(tooLarge(maxBytes));
    };
    incoming.on("data", onData);
    incoming.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    incoming.once("error", () => reject(gone()));
    incoming.once("close", () => {
      if (!incoming.complete) reject(gone());
    });
  });
}

function gone(): ClientGone {
  return new ClientGone("the request closed before its body ended");
}

function tooLarge(maxBytes: number): HttpError {
  const message = `body exceeds ${maxBytes} bytes`;
  return new HttpError(413, "payload_too_large", message, undefined, { Connection: "close" });
}
